// CRC-32 (IEEE 802.3, zlib's) with the ARMv8 CRC32 instructions: a model's checksum covers the
// whole file and is computed at every load, where a table lookup per byte was most of the cost.
#ifndef EDGEPACK_CRC_H
#define EDGEPACK_CRC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// 1 when this CPU has the CRC32 instructions (every 64-bit Raspberry Pi; never on x86).
int ep_crc32_hardware_available(void);

/// The CRC register after `size` more bytes, as a byte-wise table update would leave it (no
/// inversion here). Call only when ep_crc32_hardware_available() is 1.
uint32_t ep_crc32_hardware(uint32_t state, const void *data, size_t size);

#ifdef __cplusplus
}
#endif
#endif
