#include "publisher/origin/ingest/movie_header.h"

#include <algorithm>
#include <cstdio>
#include <limits>

#include "publisher/mp4/box_reader.h"
#include "publisher/mp4/byte_reader.h"

namespace podium::publisher::origin {

namespace {

using mp4::Box;
using mp4::ByteReader;
using mp4::FourCC;

Status malformed(const std::string& what) {
    return Status(ErrorCode::Parse, what);
}

// tkhd (8.3.2): track_ID after version/flags and the creation/modification times.
Result<uint32_t> readTrackId(const Box& tkhd) {
    ByteReader in(tkhd.payload);
    const uint8_t version = in.u8();
    in.skip(3 + (version == 1 ? 16 : 8));
    const uint32_t id = in.u32();
    if (!in.ok() || id == 0) {
        return makeError(malformed("tkhd: missing or zero track_ID"));
    }
    return id;
}

// mdhd (8.4.2): timescale after the times.
Result<int32_t> readTimescale(const Box& mdhd) {
    ByteReader in(mdhd.payload);
    const uint8_t version = in.u8();
    in.skip(3 + (version == 1 ? 16 : 8));
    const uint32_t timescale = in.u32();
    if (!in.ok() || timescale == 0 || timescale > 0x7fffffffu) {
        return makeError(malformed("mdhd: missing or invalid timescale"));
    }
    return int32_t(timescale);
}

// A 32-bit bit rate from the wire as the int TrackInfo holds (values above INT_MAX saturate
// instead of turning negative).
int clampedRate(uint32_t bitsPerSecond) {
    return int(std::min<uint32_t>(bitsPerSecond, uint32_t(std::numeric_limits<int>::max())));
}

// btrt (8.5.2.2): bufferSizeDB, maxBitrate, avgBitrate.
void readBitRate(const Box& entry, TrackInfo& info) {
    if (const Box* btrt = mp4::findBox(entry.children, "btrt")) {
        ByteReader in(btrt->payload);
        in.skip(4);
        const uint32_t maxRate = in.u32();
        const uint32_t avgRate = in.u32();
        if (in.ok()) {
            info.bitrateBps = clampedRate(avgRate);
            info.maxBitrateBps = clampedRate(std::max(maxRate, avgRate));
        }
    }
}

Result<void> readAvc(const Box& entry, TrackInfo& info) {
    ByteReader in(entry.payload);
    in.skip(24);  // SampleEntry (8) + pre_defined/reserved (16)
    info.width = in.u16();
    info.height = in.u16();
    const Box* avcC = mp4::findBox(entry.children, "avcC");
    if (!in.ok() || !avcC || avcC->payload.size() < 7 || avcC->payload[0] != 1) {
        return makeError(malformed("avc1: missing or malformed avcC"));
    }
    info.avcDecoderConfig.assign(avcC->payload.begin(), avcC->payload.end());
    char text[16];
    std::snprintf(text, sizeof text, "avc1.%02x%02x%02x", avcC->payload[1], avcC->payload[2],
                  avcC->payload[3]);
    info.codecString = text;
    readBitRate(entry, info);
    return ok();
}

// An ISO/IEC 14496-1 descriptor: tag and expandable size (up to 4 bytes of 7 bits).
bool readDescriptor(ByteReader& in, uint8_t& tag, uint32_t& size) {
    tag = in.u8();
    size = 0;
    for (int i = 0; i < 4; ++i) {
        const uint8_t b = in.u8();
        size = (size << 7) | (b & 0x7f);
        if (!(b & 0x80)) {
            break;
        }
    }
    return in.ok();
}

// esds (14496-14 5.6) -> objectTypeIndication and the AudioSpecificConfig.
Result<void> readEsds(const Box& esds, TrackInfo& info) {
    ByteReader in(esds.payload);
    in.skip(4);
    uint8_t tag = 0;
    uint32_t size = 0;
    if (!readDescriptor(in, tag, size) || tag != 0x03) {
        return makeError(malformed("esds: no ES_Descriptor"));
    }
    in.skip(2);
    const uint8_t esFlags = in.u8();
    if (esFlags & 0x80) {
        in.skip(2);
    }
    if (esFlags & 0x40) {
        in.skip(in.u8());
    }
    if (esFlags & 0x20) {
        in.skip(2);
    }
    if (!readDescriptor(in, tag, size) || tag != 0x04) {
        return makeError(malformed("esds: no DecoderConfigDescriptor"));
    }
    const uint8_t objectType = in.u8();
    if (objectType != 0x40) {
        char text[64];
        std::snprintf(text, sizeof text, "mp4a object type 0x%02x is not MPEG-4 AAC", objectType);
        return makeError(ErrorCode::Unsupported, text);
    }
    in.skip(4);
    const uint32_t maxRate = in.u32();
    const uint32_t avgRate = in.u32();
    if (!readDescriptor(in, tag, size) || tag != 0x05 || size == 0) {
        return makeError(malformed("esds: no AudioSpecificConfig"));
    }
    const auto asc = in.bytes(size);
    if (!in.ok()) {
        return makeError(malformed("esds: truncated AudioSpecificConfig"));
    }
    info.audioSpecificConfig.assign(asc.begin(), asc.end());
    const int objectTypeAac = asc[0] >> 3;
    info.codecString = "mp4a.40." + std::to_string(objectTypeAac);
    if (info.bitrateBps == 0) {
        info.bitrateBps = clampedRate(avgRate);
        info.maxBitrateBps = clampedRate(std::max(maxRate, avgRate));
    }
    return ok();
}

Result<void> readAac(const Box& entry, TrackInfo& info) {
    ByteReader in(entry.payload);
    in.skip(16);  // SampleEntry (8) + reserved (8)
    info.channels = in.u16();
    in.skip(6);  // samplesize, pre_defined, reserved
    info.sampleRate = int(in.u32() >> 16);
    const Box* esds = mp4::findBox(entry.children, "esds");
    if (!in.ok() || !esds) {
        return makeError(malformed("mp4a: missing esds"));
    }
    readBitRate(entry, info);
    return readEsds(*esds, info);
}

Result<IngestTrack> readTrak(const Box& trak) {
    const Box* tkhd = mp4::findBox(trak.children, "tkhd");
    const Box* mdhd = mp4::findBox(trak.children, "mdia/mdhd");
    const Box* hdlr = mp4::findBox(trak.children, "mdia/hdlr");
    const Box* stsd = mp4::findBox(trak.children, "mdia/minf/stbl/stsd");
    if (!tkhd || !mdhd || !hdlr || !stsd) {
        return makeError(malformed("trak lacks tkhd, mdhd, hdlr or stsd"));
    }
    IngestTrack track;
    auto id = readTrackId(*tkhd);
    auto timescale = readTimescale(*mdhd);
    if (!id || !timescale) {
        return makeError(!id ? id.error() : timescale.error());
    }
    track.sourceTrackId = *id;
    track.info.timescale = *timescale;
    ByteReader handler(hdlr->payload);
    handler.skip(8);
    const FourCC handlerType{handler.u32()};
    if (handlerType != FourCC{"vide"} && handlerType != FourCC{"soun"}) {
        return makeError(ErrorCode::Unsupported, "track handler '" + handlerType.toString() +
                                                     "' (only video and audio are ingested)");
    }
    if (stsd->children.empty()) {
        return makeError(malformed("stsd has no sample entry"));
    }
    const Box& entry = stsd->children.front();
    if (handlerType == FourCC{"vide"} &&
        (entry.type == FourCC{"avc1"} || entry.type == FourCC{"avc3"})) {
        track.info.kind = TrackKind::Video;
        auto avc = readAvc(entry, track.info);
        return avc ? Result<IngestTrack>(std::move(track)) : makeError(avc.error());
    }
    if (handlerType == FourCC{"soun"} && entry.type == FourCC{"mp4a"}) {
        track.info.kind = TrackKind::Audio;
        auto aac = readAac(entry, track.info);
        return aac ? Result<IngestTrack>(std::move(track)) : makeError(aac.error());
    }
    return makeError(ErrorCode::Unsupported,
                     "codec '" + entry.type.toString() +
                         "' is not supported (ingest accepts H.264 avc1/avc3 and AAC mp4a)");
}

void applyTrex(const Box& moov, std::vector<IngestTrack>& tracks) {
    for (const Box* trex : mp4::findAllBoxes(moov.children, "mvex/trex")) {
        ByteReader in(trex->payload);
        in.skip(4);
        const uint32_t trackId = in.u32();
        in.skip(4);  // default_sample_description_index
        mp4::SampleDefaults defaults{in.u32(), in.u32(), in.u32()};
        for (auto& t : tracks) {
            if (in.ok() && t.sourceTrackId == trackId) {
                t.defaults = defaults;
            }
        }
    }
}

void applyLsm(const std::vector<LsmTrack>& lsm, IngestTrack& track) {
    for (const auto& l : lsm) {
        if (l.trackId == track.sourceTrackId ||
            (l.trackId == 0 &&
             l.kind == (track.info.kind == TrackKind::Video ? "video" : "audio"))) {
            if (l.systemBitrate > 0) {
                track.info.bitrateBps = l.systemBitrate;
                track.info.maxBitrateBps = std::max(track.info.maxBitrateBps, l.systemBitrate);
            }
            track.name = l.trackName;
            return;
        }
    }
}

// trak boxes directly inside the moov, counted from the child headers alone (no tree is
// built): a moov of thousands of traks is refused before it costs more than this scan.
// Malformed sizes stop the count; BoxReader reports them.
size_t countTraks(std::span<const uint8_t> moov) {
    ByteReader in(moov);
    if (in.u32() == 1) {
        in.skip(4 + 8);  // type, largesize
    } else {
        in.skip(4);
    }
    size_t count = 0;
    while (in.ok() && in.remaining() >= 8) {
        const uint64_t size = in.u32();
        const FourCC type{in.u32()};
        if (size < 8 || size - 8 > in.remaining()) {
            break;  // size 0, largesize or an overrun: left to BoxReader
        }
        count += type == FourCC{"trak"} ? 1 : 0;
        in.skip(size_t(size - 8));
    }
    return count;
}

}  // namespace

Result<std::vector<IngestTrack>> parseMovieHeader(std::span<const uint8_t> moov,
                                                  const std::vector<LsmTrack>& lsm, int maxTracks) {
    const auto tooMany = [maxTracks](size_t count) {
        return makeError(ErrorCode::LimitExceeded, "moov declares " + std::to_string(count) +
                                                       " tracks; the limit is " +
                                                       std::to_string(maxTracks));
    };
    const size_t limit = size_t(std::max(0, maxTracks));
    if (const size_t count = countTraks(moov); count > limit) {
        return tooMany(count);
    }
    auto boxes = mp4::BoxReader::parse(moov);
    if (!boxes) {
        return makeError(boxes.error().withContext("moov"));
    }
    if (boxes->size() != 1 || boxes->front().type != FourCC{"moov"}) {
        return makeError(malformed("expected one moov box"));
    }
    const Box& root = boxes->front();
    const auto traks = mp4::findAllBoxes(root.children, "trak");
    if (traks.size() > limit) {
        return tooMany(traks.size());
    }
    std::vector<IngestTrack> tracks;
    for (const Box* trak : traks) {
        auto track = readTrak(*trak);
        if (!track) {
            return makeError(
                track.error().withContext("moov trak " + std::to_string(tracks.size() + 1)));
        }
        applyLsm(lsm, *track);
        tracks.push_back(std::move(*track));
    }
    if (tracks.empty()) {
        return makeError(malformed("moov declares no track"));
    }
    applyTrex(root, tracks);
    return tracks;
}

}  // namespace podium::publisher::origin
