/*
 * A stand-in for Windows' bcryptprimitives.dll with its one function that
 * the Rust standard library for Windows imports (since Rust 1.78, to seed
 * HashMap keys and the like): ProcessPrng. Wine 8.0 (Debian 12) has no
 * bcryptprimitives.dll, so a Rust program does not even start there (the
 * loader reports the DLL as not found and the process exits with status 53).
 * ci/check-cross builds this with
 *
 *   x86_64-w64-mingw32-gcc -shared -O2 -s -nostdlib -Wl,--entry=ShimEntry \
 *     -o bcryptprimitives.dll bcryptprimitives.c -ladvapi32
 *
 * into the programs' folder (the first place Windows looks for a DLL), only
 * when Wine cannot start them without it. It forwards to advapi32's
 * SystemFunction036 (RtlGenRandom), which Wine has. No C runtime: the only
 * import is ADVAPI32.dll.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ShimEntry(HINSTANCE dll, DWORD reason, LPVOID reserved)
{
    (void)dll;
    (void)reason;
    (void)reserved;
    return TRUE;
}

/* Documented to always return TRUE; fails only if RtlGenRandom does. */
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
