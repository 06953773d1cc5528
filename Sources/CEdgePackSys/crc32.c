// See edgepack_crc.h. The CRC32 extension is optional in ARMv8.0, so the CPU is asked through
// the kernel's hardware capabilities; the instructions are enabled for these functions only.
#include "edgepack_crc.h"

#if defined(__aarch64__) && defined(__linux__)
#include <arm_acle.h>
#include <string.h>
#include <sys/auxv.h>

#ifndef HWCAP_CRC32
#define HWCAP_CRC32 (1 << 7)
#endif

int ep_crc32_hardware_available(void) { return (getauxval(AT_HWCAP) & HWCAP_CRC32) != 0; }

__attribute__((target("+crc")))
uint32_t ep_crc32_hardware(uint32_t state, const void *data, size_t size) {
    const uint8_t *p = data;
    for (; size > 0 && ((uintptr_t)p & 7) != 0; size--) state = __crc32b(state, *p++);
    for (; size >= 32; size -= 32, p += 32) {
        uint64_t w[4];
        memcpy(w, p, sizeof w);
        state = __crc32d(state, w[0]);
        state = __crc32d(state, w[1]);
        state = __crc32d(state, w[2]);
        state = __crc32d(state, w[3]);
    }
    for (; size >= 8; size -= 8, p += 8) {
        uint64_t w;
        memcpy(&w, p, sizeof w);
        state = __crc32d(state, w);
    }
    for (; size > 0; size--) state = __crc32b(state, *p++);
    return state;
}
#else
int ep_crc32_hardware_available(void) { return 0; }
uint32_t ep_crc32_hardware(uint32_t state, const void *data, size_t size) { (void)data; (void)size; return state; }
#endif
