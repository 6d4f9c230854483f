// channel_publish_bench: what one write into an origin Channel costs once its window is full
// (every chunk or segment publishes a new ChannelView snapshot). Three feeds:
//   ladder-60s  4 tracks, 2 s segments of 6 parts, --dvr 60 (the default window)
//   ladder-1h   the same with --dvr 3600 (1,800 segments per track)
//   ticks       one track of 1-tick fragments, each a segment (the issue #9 input), 2,048 kept
// Prints the median and 90th percentile of the time per write over the last writes (the window
// full). ladder-1h holds 1.3 GB of media for the hour. Run: build/release/tests/bench/
// channel_publish_bench (the README has the figures, before and after segment sharing).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "publisher/origin/channel.h"

using namespace podium;
using namespace podium::publisher;
using namespace podium::publisher::origin;
using namespace podium::publisher::manifest;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kTimescale = 90000;

TrackInfo track(int index) {
    TrackInfo t;
    t.trackIndex = index;
    t.id = "t" + std::to_string(index);
    t.kind = index == 3 ? TrackKind::Audio : TrackKind::Video;
    t.timescale = kTimescale;
    return t;
}

struct Timing {
    std::vector<double> ns;
    void add(Clock::duration d) {
        ns.push_back(double(std::chrono::duration_cast<std::chrono::nanoseconds>(d).count()));
    }
    void print(const char* name) {
        std::sort(ns.begin(), ns.end());
        std::printf("%-10s %8zu writes  median %9.1f us  p90 %9.1f us\n", name, ns.size(),
                    ns[ns.size() / 2] / 1000.0, ns[ns.size() * 9 / 10] / 1000.0);
    }
};

/// 4 tracks, 2 s segments of 6 parts (~30 KB per part), fed like the in-process packager.
void ladder(const char* name, double dvrSeconds, int segments, int measuredSegments) {
    ChannelConfig config;
    config.name = "bench";
    config.dvrWindow = MediaTime::fromSeconds(dvrSeconds, kTimescale);
    [](auto& c) {  // generic: the bench also builds against the channel before the byte cap
        if constexpr (requires { c.maxBytes; }) {
            c.maxBytes = uint64_t(8) << 30;  // the whole hour stays: compare like for like
        }
    }(config);
    Channel channel(config);
    std::vector<TrackInfo> tracks;
    for (int i = 0; i < 4; ++i) {
        tracks.push_back(track(i));
    }
    channel.setTracks(tracks);
    const int64_t partTicks = 2 * kTimescale / 6;
    Timing timing;
    for (int s = 0; s < segments; ++s) {
        const bool measure = s >= segments - measuredSegments;
        for (int t = 0; t < 4; ++t) {
            auto segment = std::make_shared<Segment>();
            segment->trackIndex = t;
            segment->number = s;
            segment->start = MediaTime{s * 6 * partTicks, kTimescale};
            segment->duration = MediaTime{6 * partTicks, kTimescale};
            for (int p = 0; p < 6; ++p) {
                auto chunk = std::make_shared<Chunk>();
                chunk->trackIndex = t;
                chunk->segmentNumber = s;
                chunk->partIndex = p;
                chunk->start = MediaTime{(s * 6 + p) * partTicks, kTimescale};
                chunk->duration = MediaTime{partTicks, kTimescale};
                chunk->isIndependent = p == 0;
                chunk->bytes.assign(t == 3 ? 1000 : 30000, uint8_t(p));
                segment->parts.push_back(PartInfo{segment->bytes.size(), chunk->bytes.size(),
                                                  chunk->duration, chunk->isIndependent});
                segment->bytes.insert(segment->bytes.end(), chunk->bytes.begin(),
                                      chunk->bytes.end());
                const auto begin = Clock::now();
                channel.addChunk(chunk);
                if (measure) {
                    timing.add(Clock::now() - begin);
                }
            }
            const auto begin = Clock::now();
            channel.addSegment(segment);
            if (measure) {
                timing.add(Clock::now() - begin);
            }
        }
    }
    timing.print(name);
}

/// One track; every fragment one sample of one tick, stored as a whole segment (ingest path).
void ticks(int fragments, int measured) {
    ChannelConfig config;
    config.name = "ticks";
    Channel channel(config);
    channel.setTracks({track(0)});
    Timing timing;
    for (int i = 0; i < fragments; ++i) {
        auto segment = std::make_shared<Segment>();
        segment->trackIndex = 0;
        segment->number = i;
        segment->start = MediaTime{i, kTimescale};
        segment->duration = MediaTime{1, kTimescale};
        segment->bytes.assign(120, uint8_t(i));
        segment->parts.push_back(PartInfo{0, 120, segment->duration, true});
        const auto begin = Clock::now();
        channel.addSegment(segment);
        if (i >= fragments - measured) {
            timing.add(Clock::now() - begin);
        }
    }
    timing.print("ticks");
}

}  // namespace

int main() {
    ladder("ladder-60s", 60, 60, 30);
    ladder("ladder-1h", 3600, 1830, 30);
    ticks(6000, 2000);
    return 0;
}
