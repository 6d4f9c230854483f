// libFuzzer target: a whole ingest POST body into an IngestSession (Smooth or CMAF, header,
// LSM, fragments), fed in chunks whose size the first input byte picks, then finished. The
// limits are small so that the fuzzer reaches them; a stored segment must respect them.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "core/log.h"
#include "publisher/origin/ingest/ingest_session.h"

namespace origin = podium::publisher::origin;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const bool quiet = [] {
        podium::setLogLevel(podium::LogLevel::Error);
        return true;
    }();
    (void)quiet;
    if (size == 0) {
        return 0;
    }
    const size_t chunk = 1 + size_t(data[0]) * 16;
    const std::span<const uint8_t> body(data + 1, size - 1);

    origin::OriginLimits limits;
    limits.maxBoxBytes = 1 << 20;
    limits.maxSegmentBytes = 1 << 20;
    limits.maxSamplesPerFragment = 4096;
    limits.maxTracksPerChannel = 8;
    origin::ChannelConfig config;
    origin::ChannelStore store(config);
    origin::IngestRegistry registry;
    {
        origin::IngestSession session(store, "fuzz", "s", &registry, limits);
        bool failed = false;
        for (size_t at = 0; at < body.size() && !failed; at += chunk) {
            failed = !session.feed(body.subspan(at, std::min(chunk, body.size() - at)));
        }
        if (!failed) {
            (void)session.finish();
        }
        // What was stored is bounded by what was sent (IngestSession::kMaxExpansion).
        if (session.stats().bytesStored >
            origin::IngestSession::kMaxExpansion * session.stats().bytesIn) {
            std::abort();
        }
    }
    if (const auto channel = store.find("fuzz")) {
        const auto view = channel->view();
        if (view->tracks.size() > size_t(limits.maxTracksPerChannel)) {
            std::abort();
        }
        for (const auto& track : view->tracks) {
            for (const auto& segment : track.segments) {
                if (segment.bytes->size() > limits.maxSegmentBytes) {
                    std::abort();
                }
            }
        }
    }
    return 0;
}
