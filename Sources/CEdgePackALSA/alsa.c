// libasound capture shim; see edgepack_alsa.h.
#include "include/edgepack_alsa.h"   // relative: builds without -I (Toolchain/build-device)

#include <alsa/asoundlib.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// libasound is loaded when a capture is opened, not with the program: it binds ~750 symbols at
// load (BIND_NOW), half a million instructions that every other command paid before. The
// calls below go through this table, filled once by dlsym with the names the functions have.
#define ALSA_FUNCTIONS(F) \
    F(snd_lib_error_set_handler) F(snd_pcm_open) F(snd_pcm_close) F(snd_pcm_hw_params) \
    F(snd_pcm_hw_params_any) F(snd_pcm_hw_params_malloc) F(snd_pcm_hw_params_free) \
    F(snd_pcm_hw_params_get_buffer_size) F(snd_pcm_hw_params_get_period_size) \
    F(snd_pcm_hw_params_set_access) F(snd_pcm_hw_params_set_buffer_size_near) \
    F(snd_pcm_hw_params_set_channels) F(snd_pcm_hw_params_set_channels_near) \
    F(snd_pcm_hw_params_set_format) F(snd_pcm_hw_params_set_period_size_near) \
    F(snd_pcm_hw_params_set_rate) F(snd_pcm_hw_params_test_format) F(snd_pcm_prepare) \
    F(snd_pcm_readi) F(snd_pcm_recover) F(snd_strerror) \
    F(snd_card_next) F(snd_ctl_open) F(snd_ctl_close) F(snd_ctl_card_info) \
    F(snd_ctl_card_info_malloc) F(snd_ctl_card_info_free) F(snd_ctl_card_info_get_id) \
    F(snd_ctl_card_info_get_name) F(snd_ctl_pcm_next_device) F(snd_ctl_pcm_info) \
    F(snd_pcm_info_malloc) F(snd_pcm_info_free) F(snd_pcm_info_set_device) \
    F(snd_pcm_info_set_subdevice) F(snd_pcm_info_set_stream) F(snd_pcm_info_get_name)

static struct {
#define FIELD(name) __typeof__(&name) name;
    ALSA_FUNCTIONS(FIELD)
#undef FIELD
} alsa;
static int alsa_loaded;   // 0 not tried, 1 loaded, -1 failed

static int load_alsa(void) {
    if (alsa_loaded) return alsa_loaded > 0;
    alsa_loaded = -1;
    void *lib = dlopen("libasound.so.2", RTLD_NOW | RTLD_LOCAL);
    if (!lib) return 0;
#define LOOKUP(name) if (!(*(void **)&alsa.name = dlsym(lib, #name))) return 0;
    ALSA_FUNCTIONS(LOOKUP)
#undef LOOKUP
    alsa_loaded = 1;
    return 1;
}


struct ep_alsa_capture {
    snd_pcm_t *pcm;
    size_t frame_bytes;
};

static void silent_handler(const char *file, int line, const char *function, int err, const char *fmt, ...) {
    (void)file; (void)line; (void)function; (void)err; (void)fmt;
}

int ep_alsa_open(const char *device, ep_alsa_params *params, ep_alsa_capture **out, int *stage) {
    *out = NULL;
    if (!load_alsa()) { *stage = EP_ALSA_STAGE_LIBRARY; return -ENOENT; }
    // Errors are reported through return codes; keep libasound from printing to stderr.
    alsa.snd_lib_error_set_handler(silent_handler);
    snd_pcm_t *pcm = NULL;
    int err = alsa.snd_pcm_open(&pcm, device, SND_PCM_STREAM_CAPTURE, 0);
    if (err < 0) { *stage = EP_ALSA_STAGE_OPEN; return err; }
    snd_pcm_hw_params_t *hw = NULL;
    err = alsa.snd_pcm_hw_params_malloc(&hw);
    if (err < 0) { *stage = EP_ALSA_STAGE_HW_ANY; alsa.snd_pcm_close(pcm); return err; }

#define STEP(call, which) do { err = (call); if (err < 0) { *stage = (which); goto fail; } } while (0)
    STEP(alsa.snd_pcm_hw_params_any(pcm, hw), EP_ALSA_STAGE_HW_ANY);
    STEP(alsa.snd_pcm_hw_params_set_access(pcm, hw, SND_PCM_ACCESS_RW_INTERLEAVED), EP_ALSA_STAGE_ACCESS);

    static const struct { snd_pcm_format_t alsa; int ours; size_t bytes; } formats[] = {
        { SND_PCM_FORMAT_S16_LE, EP_ALSA_S16_LE, 2 },
        { SND_PCM_FORMAT_S32_LE, EP_ALSA_S32_LE, 4 },
        { SND_PCM_FORMAT_FLOAT_LE, EP_ALSA_FLOAT_LE, 4 },
    };
    size_t sample_bytes = 0;
    err = -EINVAL;
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        if (alsa.snd_pcm_hw_params_test_format(pcm, hw, formats[i].alsa) == 0) {
            err = alsa.snd_pcm_hw_params_set_format(pcm, hw, formats[i].alsa);
            if (err == 0) { params->format = formats[i].ours; sample_bytes = formats[i].bytes; break; }
        }
    }
    if (err < 0) { *stage = EP_ALSA_STAGE_FORMAT; goto fail; }

    unsigned channels = params->channels;
    if (alsa.snd_pcm_hw_params_set_channels(pcm, hw, channels) < 0)
        STEP(alsa.snd_pcm_hw_params_set_channels_near(pcm, hw, &channels), EP_ALSA_STAGE_CHANNELS);
    params->channels = channels;

    // The exact rate: a hw: device without it fails here (plughw: converts).
    STEP(alsa.snd_pcm_hw_params_set_rate(pcm, hw, params->rate, 0), EP_ALSA_STAGE_RATE);

    snd_pcm_uframes_t period = params->period_frames;
    int dir = 0;
    STEP(alsa.snd_pcm_hw_params_set_period_size_near(pcm, hw, &period, &dir), EP_ALSA_STAGE_PERIOD);
    snd_pcm_uframes_t buffer = params->buffer_frames;
    STEP(alsa.snd_pcm_hw_params_set_buffer_size_near(pcm, hw, &buffer), EP_ALSA_STAGE_BUFFER);
    STEP(alsa.snd_pcm_hw_params(pcm, hw), EP_ALSA_STAGE_APPLY);
    alsa.snd_pcm_hw_params_get_period_size(hw, &period, &dir);
    alsa.snd_pcm_hw_params_get_buffer_size(hw, &buffer);
    params->period_frames = period;
    params->buffer_frames = buffer;
    STEP(alsa.snd_pcm_prepare(pcm), EP_ALSA_STAGE_PREPARE);
#undef STEP
    alsa.snd_pcm_hw_params_free(hw);

    ep_alsa_capture *capture = malloc(sizeof *capture);
    if (!capture) { *stage = EP_ALSA_STAGE_OPEN; alsa.snd_pcm_close(pcm); return -ENOMEM; }
    capture->pcm = pcm;
    capture->frame_bytes = sample_bytes * channels;
    *out = capture;
    return 0;
fail:
    alsa.snd_pcm_hw_params_free(hw);
    alsa.snd_pcm_close(pcm);
    return err;
}

long ep_alsa_read(ep_alsa_capture *capture, void *buffer, unsigned long frames, unsigned long *overruns) {
    unsigned char *p = buffer;
    unsigned long done = 0;
    while (done < frames) {
        snd_pcm_sframes_t n = alsa.snd_pcm_readi(capture->pcm, p + done * capture->frame_bytes, frames - done);
        if (n == -EAGAIN) continue;
        if (n < 0) {
            if (n == -EPIPE || n == -ESTRPIPE) (*overruns)++;
            int err = alsa.snd_pcm_recover(capture->pcm, (int)n, 1);
            if (err < 0) return err;
            continue;
        }
        done += (unsigned long)n;
    }
    return (long)done;
}

void ep_alsa_close(ep_alsa_capture *capture) {
    if (!capture) return;
    alsa.snd_pcm_close(capture->pcm);
    free(capture);
}

const char *ep_alsa_strerror(int code) { return alsa_loaded > 0 ? alsa.snd_strerror(code) : strerror(-code); }

// Appends one formatted line to a growing buffer; 0, or -ENOMEM.
static int append_line(char **text, size_t *used, size_t *capacity, const char *card_id, int device,
                       const char *card_name, const char *pcm_name) {
    size_t need = strlen(card_id) + strlen(card_name) + strlen(pcm_name) + 32;
    if (*used + need > *capacity) {
        size_t grown_size = (*used + need) * 2;
        char *grown = realloc(*text, grown_size);
        if (!grown) return -ENOMEM;
        *text = grown;
        *capacity = grown_size;
    }
    *used += (size_t)snprintf(*text + *used, *capacity - *used, "%s\t%d\t%s\t%s\n", card_id, device, card_name, pcm_name);
    return 0;
}

// The walk `arecord -l` does: every card, every PCM device on it that can capture.
char *ep_alsa_list_capture(int *error) {
    *error = 0;
    if (!load_alsa()) { *error = -ENOENT; return NULL; }
    alsa.snd_lib_error_set_handler(silent_handler);
    size_t used = 0, capacity = 256;
    char *text = malloc(capacity);
    snd_ctl_card_info_t *info = NULL;
    snd_pcm_info_t *pcm = NULL;
    if (!text || alsa.snd_ctl_card_info_malloc(&info) < 0 || alsa.snd_pcm_info_malloc(&pcm) < 0) {
        *error = -ENOMEM;
        goto done;
    }
    text[0] = 0;
    int card = -1;
    while (alsa.snd_card_next(&card) == 0 && card >= 0) {
        char name[32];
        snprintf(name, sizeof name, "hw:%d", card);
        snd_ctl_t *ctl = NULL;
        if (alsa.snd_ctl_open(&ctl, name, 0) < 0) continue;
        if (alsa.snd_ctl_card_info(ctl, info) == 0) {
            int device = -1;
            while (alsa.snd_ctl_pcm_next_device(ctl, &device) == 0 && device >= 0) {
                alsa.snd_pcm_info_set_device(pcm, (unsigned)device);
                alsa.snd_pcm_info_set_subdevice(pcm, 0);
                alsa.snd_pcm_info_set_stream(pcm, SND_PCM_STREAM_CAPTURE);
                if (alsa.snd_ctl_pcm_info(ctl, pcm) < 0) continue;     // playback only
                if (append_line(&text, &used, &capacity, alsa.snd_ctl_card_info_get_id(info), device,
                                alsa.snd_ctl_card_info_get_name(info), alsa.snd_pcm_info_get_name(pcm)) < 0) {
                    *error = -ENOMEM;
                    break;
                }
            }
        }
        alsa.snd_ctl_close(ctl);
        if (*error) break;
    }
done:
    if (pcm) alsa.snd_pcm_info_free(pcm);
    if (info) alsa.snd_ctl_card_info_free(info);
    if (*error) { free(text); return NULL; }
    return text;
}

void ep_alsa_free_text(char *text) { free(text); }
