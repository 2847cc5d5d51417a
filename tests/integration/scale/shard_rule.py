"""The shard rule of docs/scale.md, written again from its description (not from the C++): the
tests use it to know which files a shard owns, and unit tests pin the C++ to the same values."""

_M = (1 << 64) - 1


def shard_hash(key: bytes) -> int:
    h = 14695981039346656037                     # FNV-1a, 64 bit
    for c in key:
        h = ((h ^ c) * 1099511628211) & _M
    h ^= h >> 30                                 # splitmix64 finaliser
    h = (h * 0xBF58476D1CE4E5B9) & _M
    h ^= h >> 27
    h = (h * 0x94D049BB133111EB) & _M
    return h ^ (h >> 31)


def jump_bucket(key: int, n: int) -> int:
    b, j = -1, 0                                 # Lamping & Veach, jump consistent hash
    while j < n:
        b = j
        key = (key * 2862933555777941757 + 1) & _M
        j = int((b + 1) * (float(1 << 31) / float((key >> 33) + 1)))
    return b


def shard_of(relative_path: str, n: int) -> int:
    return 0 if n <= 1 else jump_bucket(shard_hash(relative_path.encode("utf-8", "surrogateescape")), n)
