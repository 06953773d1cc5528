// Capture through libasound, behind a small non-variadic C surface: the Swift side (host and
// Embedded device build) never sees ALSA's opaque-struct allocation macros or its variadic
// error handler.
#ifndef EDGEPACK_ALSA_H
#define EDGEPACK_ALSA_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Sample formats the capture accepts, in order of preference.
enum {
    EP_ALSA_S16_LE = 1,
    EP_ALSA_S32_LE = 2,     // I2S microphones (e.g. INMP441) deliver 32-bit frames
    EP_ALSA_FLOAT_LE = 3
};

/// The configuration step that failed.
enum {
    EP_ALSA_STAGE_OPEN = 1,
    EP_ALSA_STAGE_HW_ANY,
    EP_ALSA_STAGE_ACCESS,
    EP_ALSA_STAGE_FORMAT,
    EP_ALSA_STAGE_CHANNELS,
    EP_ALSA_STAGE_RATE,
    EP_ALSA_STAGE_PERIOD,
    EP_ALSA_STAGE_BUFFER,
    EP_ALSA_STAGE_APPLY,
    EP_ALSA_STAGE_PREPARE,
    EP_ALSA_STAGE_LIBRARY     // libasound.so.2 could not be loaded (it is loaded at the first open)
};

/// Requested values in, granted values out. channels: 1 asked; a device that cannot do mono
/// grants its nearest count (the caller downmixes).
typedef struct {
    unsigned rate;
    unsigned channels;
    unsigned long period_frames;
    unsigned long buffer_frames;
    int format;              // out: EP_ALSA_*
} ep_alsa_params;

typedef struct ep_alsa_capture ep_alsa_capture;

/// Opens `device` for interleaved capture. Returns 0, or a negative ALSA/errno code with
/// *stage set to the EP_ALSA_STAGE_* that failed.
int ep_alsa_open(const char *device, ep_alsa_params *params, ep_alsa_capture **out, int *stage);

/// Reads exactly `frames` interleaved frames into `buffer` (blocking). Overruns and suspends
/// are recovered with snd_pcm_recover and counted in *overruns. Returns `frames`, or a negative
/// code when recovery failed.
long ep_alsa_read(ep_alsa_capture *capture, void *buffer, unsigned long frames, unsigned long *overruns);

void ep_alsa_close(ep_alsa_capture *capture);

/// The capture devices of every sound card, one a line: card id (the NAME of
/// plughw:CARD=NAME,DEV=N), device number, card name, device name, separated by tabs. An empty
/// text when there is no card; NULL with *error set (-ENOENT: libasound could not be loaded).
/// Free with ep_alsa_free_text.
char *ep_alsa_list_capture(int *error);
void ep_alsa_free_text(char *text);

/// Text of an ALSA error code (static storage).
const char *ep_alsa_strerror(int code);

#ifdef __cplusplus
}
#endif
#endif
