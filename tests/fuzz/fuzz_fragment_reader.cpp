// libFuzzer target: readFragment over every moof + mdat pair of an arbitrary box stream (cut
// by BoxStreamParser as the ingest does), with trex defaults for track_IDs 1 and 2. Checks
// the contract as well as memory safety: every sample lies inside its mdat and no two
// samples share a byte. Then merges the whole input as one stored segment (mergeFragments).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "publisher/mp4/box_reader.h"
#include "publisher/mp4/fragment_merge.h"
#include "publisher/mp4/fragment_reader.h"
#include "publisher/origin/ingest/box_stream_parser.h"

namespace origin = podium::publisher::origin;

namespace {

void checkContract(const origin::StreamBox& mdat,
                   const std::vector<podium::publisher::mp4::TrackFragment>& fragments) {
    const uint8_t* begin = mdat.bytes.data() + mdat.headerSize;
    const uint8_t* end = mdat.bytes.data() + mdat.bytes.size();
    std::vector<std::pair<const uint8_t*, const uint8_t*>> ranges;
    for (const auto& fragment : fragments) {
        for (const auto& sample : fragment.samples) {
            if (sample.data.empty()) {
                continue;
            }
            if (sample.data.data() < begin || sample.data.data() + sample.data.size() > end) {
                std::abort();  // a sample outside its mdat payload
            }
            ranges.emplace_back(sample.data.data(), sample.data.data() + sample.data.size());
        }
    }
    std::sort(ranges.begin(), ranges.end());
    for (size_t i = 1; i < ranges.size(); ++i) {
        if (ranges[i].first < ranges[i - 1].second) {
            std::abort();  // two samples sharing mdat bytes
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::map<uint32_t, podium::publisher::mp4::SampleDefaults> defaults = {
        {1, {3000, 0, 0x01010000}}, {2, {1024, 7, 0x02000000}}};
    std::optional<origin::StreamBox> moof;
    origin::BoxStreamParser parser(
        [&](origin::StreamBox&& box) -> podium::Result<void> {
            if (box.type == podium::publisher::mp4::FourCC{"moof"}) {
                moof = std::move(box);
            } else if (box.type == podium::publisher::mp4::FourCC{"mdat"} && moof) {
                auto fragments = podium::publisher::mp4::readFragment(moof->placed(), box.placed(),
                                                                      defaults, 4096);
                if (fragments) {
                    checkContract(box, *fragments);
                }
                moof.reset();
            }
            return podium::ok();
        },
        1 << 20);
    (void)parser.feed(std::span<const uint8_t>(data, size));
    (void)parser.finish();

    // The same bytes as a stored segment: a merge either fails cleanly or yields one fragment
    // that parses again and holds no more sample bytes than the input.
    podium::publisher::mp4::MergeOptions options;
    options.maxSamples = 4096;
    options.tfxd = podium::publisher::mp4::FragmentTime{0, 0};
    auto merged =
        podium::publisher::mp4::mergeFragments(std::span<const uint8_t>(data, size), options);
    if (merged) {
        auto boxes = podium::publisher::mp4::BoxReader::parse(*merged);
        if (!boxes || boxes->size() != 2 || (*boxes)[1].size > size + 8) {
            std::abort();
        }
    }
    return 0;
}
