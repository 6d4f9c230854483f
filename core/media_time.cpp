#include "media_time.h"

#include <cmath>
#include <cstdio>

namespace podium {

int64_t rescaleTicks(int64_t value, int64_t from, int64_t to, Rounding rounding) {
    const __int128 num = static_cast<__int128>(value) * to;
    const __int128 den = from;
    __int128 q = num / den;
    const __int128 r = num % den;
    if (r != 0) {
        const bool negative = (num < 0) != (den < 0);
        switch (rounding) {
            case Rounding::Down:
                if (negative) {
                    --q;
                }
                break;
            case Rounding::Up:
                if (!negative) {
                    ++q;
                }
                break;
            case Rounding::Nearest: {
                const __int128 twice = 2 * (r < 0 ? -r : r);
                const __int128 absDen = den < 0 ? -den : den;
                if (twice >= absDen) {
                    q += negative ? -1 : 1;
                }
                break;
            }
        }
    }
    return static_cast<int64_t>(q);
}

MediaTime MediaTime::fromSeconds(double seconds, int32_t timescale) {
    return MediaTime{static_cast<int64_t>(std::llround(seconds * timescale)), timescale};
}

MediaTime MediaTime::rescaled(int32_t newTimescale, Rounding rounding) const {
    return MediaTime{rescaleTicks(value, timescale, newTimescale, rounding), newTimescale};
}

std::string MediaTime::toString() const {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3fs (%lld/%d)", seconds(), static_cast<long long>(value),
                  timescale);
    return buf;
}

std::strong_ordering operator<=>(const MediaTime& a, const MediaTime& b) {
    const __int128 left = static_cast<__int128>(a.value) * b.timescale;
    const __int128 right = static_cast<__int128>(b.value) * a.timescale;
    if (left < right) {
        return std::strong_ordering::less;
    }
    if (left > right) {
        return std::strong_ordering::greater;
    }
    return std::strong_ordering::equal;
}

MediaTime operator+(const MediaTime& a, const MediaTime& b) {
    if (a.timescale == b.timescale) {
        return MediaTime{a.value + b.value, a.timescale};
    }
    return MediaTime{a.value + b.rescaled(a.timescale, Rounding::Nearest).value, a.timescale};
}

MediaTime operator-(const MediaTime& a, const MediaTime& b) {
    if (a.timescale == b.timescale) {
        return MediaTime{a.value - b.value, a.timescale};
    }
    return MediaTime{a.value - b.rescaled(a.timescale, Rounding::Nearest).value, a.timescale};
}

}  // namespace podium
