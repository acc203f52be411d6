"""Give back the pages of a library's zero-initialised data (.bss) that its start-up code filled with zeros.

Praat (parselmouth) writes zeros over ~39 MiB of its static buffers while it loads and then leaves them unused, so
every process that measures pitch carried 39 MiB of pages holding nothing. A private anonymous page that holds
only zeros reads the same after madvise(MADV_DONTNEED): the next read sees zeros, the next write gets a fresh
page, as before the library first touched it. Only whole pages inside the library's .bss that are all zeros
are given back, once, right after the library is loaded and before any of its code runs on another thread;
the check and the madvise run with the GIL held. Linux only; elsewhere nothing is done."""

from __future__ import annotations

import ctypes
import mmap
import os
import struct
from pathlib import Path

MADV_DONTNEED = 4
PT_LOAD, PF_W = 1, 2
PAGE = mmap.PAGESIZE
ZERO_PAGE = bytes(PAGE)


def release_zero_pages(library: str | Path) -> int:
    """Bytes given back from the loaded `library`'s .bss (0 when not loaded, not ELF or not Linux)."""
    maps = Path("/proc/self/maps")
    if not maps.exists():
        return 0
    path = os.path.realpath(library)
    try:
        first_vaddr, tails = _bss(Path(path))
    except (OSError, ValueError, struct.error):
        return 0
    mappings = [_mapping(line) for line in maps.read_text().splitlines()]
    starts = [low for low, _, offset, _, name in mappings if name == path and offset == 0]
    if not starts:
        return 0
    base = starts[0] - first_vaddr
    anonymous = [(low, high) for low, high, _, inode, name in mappings if inode == 0 and not name]
    libc = ctypes.PyDLL(None)          # PyDLL: the GIL stays held from the zero check to the madvise
    libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    released = 0
    with open("/proc/self/pagemap", "rb") as pagemap:
        for low, high in tails:
            first, last = -(-(base + low) // PAGE) * PAGE, (base + high) // PAGE * PAGE   # whole pages only
            for start, end in anonymous:
                released += _release(max(first, start), min(last, end), pagemap, libc)
    return released


def _bss(path: Path) -> tuple[int, list[tuple[int, int]]]:
    """From the ELF program headers (64-bit little-endian): the address of the segment loaded from file offset
    0, and the zero-filled tail (start, end) of each writable segment, as addresses before relocation."""
    with path.open("rb") as f:
        header = f.read(64)
        if header[:4] != b"\x7fELF" or header[4] != 2 or header[5] != 1:
            raise ValueError("not a 64-bit little-endian ELF file")
        phoff, = struct.unpack_from("<Q", header, 32)
        phentsize, phnum = struct.unpack_from("<HH", header, 54)
        f.seek(phoff)
        table = f.read(phentsize * phnum)
    loads = [h for h in (struct.unpack_from("<IIQQQQQ", table, i * phentsize) for i in range(phnum)) if h[0] == PT_LOAD]
    first = [vaddr - offset for _, _, offset, vaddr, _, _, _ in loads if offset == 0]
    if not first:
        raise ValueError("no segment loaded from the start of the file")
    return first[0], [(vaddr + filesz, vaddr + memsz) for _, flags, _, vaddr, _, filesz, memsz in loads
                      if flags & PF_W and memsz > filesz]


def _mapping(line: str) -> tuple[int, int, int, int, str]:
    fields = line.split(maxsplit=5)
    low, high = (int(x, 16) for x in fields[0].split("-"))
    return low, high, int(fields[2], 16), int(fields[4]), fields[5].strip() if len(fields) > 5 else ""


def _release(first: int, last: int, pagemap, libc) -> int:
    """Drop the resident all-zero pages in [first, last), a run of neighbours at a time; returns the bytes."""
    if last <= first:
        return 0
    pagemap.seek(first // PAGE * 8)
    entries = pagemap.read((last - first) // PAGE * 8)
    zero = [entries[i * 8 + 7] & 0x80 and ctypes.string_at(first + i * PAGE, PAGE) == ZERO_PAGE   # bit 63: resident
            for i in range(len(entries) // 8)] + [False]
    released, run = 0, None
    for i, is_zero in enumerate(zero):
        if is_zero and run is None:
            run = i
        elif not is_zero and run is not None:
            if libc.madvise(first + run * PAGE, (i - run) * PAGE, MADV_DONTNEED) == 0:
                released += (i - run) * PAGE
            run = None
    return released
