#include "publisher/origin/ingest/lsm_parser.h"

#include <charconv>
#include <optional>
#include <string_view>

namespace podium::publisher::origin {

namespace {

void appendUtf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
        out += char(cp);
    } else if (cp < 0x800) {
        out += char(0xC0 | (cp >> 6));
        out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += char(0xE0 | (cp >> 12));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    } else {
        out += char(0xF0 | (cp >> 18));
        out += char(0x80 | ((cp >> 12) & 0x3F));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    }
}

bool looksUtf16(std::span<const uint8_t> b) {
    if (b.size() >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF))) {
        return true;
    }
    // No BOM: "<" as one UTF-16 code unit in either byte order.
    return b.size() >= 2 && ((b[0] == '<' && b[1] == 0) || (b[0] == 0 && b[1] == '<'));
}

// The value of attribute `name` inside the tag text `tag` ("<param name=... value=...").
std::optional<std::string> attribute(std::string_view tag, std::string_view name) {
    size_t from = 0;
    while (true) {
        const size_t at = tag.find(name, from);
        if (at == std::string_view::npos) {
            return std::nullopt;
        }
        from = at + name.size();
        const bool startsWord = at > 0 && (tag[at - 1] == ' ' || tag[at - 1] == '\t' ||
                                           tag[at - 1] == '\n' || tag[at - 1] == '\r');
        size_t p = from;
        while (p < tag.size() && (tag[p] == ' ' || tag[p] == '\t')) {
            ++p;
        }
        if (!startsWord || p >= tag.size() || tag[p] != '=') {
            continue;
        }
        ++p;
        while (p < tag.size() && (tag[p] == ' ' || tag[p] == '\t')) {
            ++p;
        }
        if (p >= tag.size() || (tag[p] != '"' && tag[p] != '\'')) {
            return std::nullopt;
        }
        const size_t end = tag.find(tag[p], p + 1);
        if (end == std::string_view::npos) {
            return std::nullopt;
        }
        return std::string(tag.substr(p + 1, end - p - 1));
    }
}

int64_t toInt(const std::optional<std::string>& text) {
    int64_t v = 0;
    if (text) {
        std::from_chars(text->data(), text->data() + text->size(), v);
    }
    return v;
}

// Element name without a namespace prefix ("smil:video" -> "video").
std::string_view localName(std::string_view tag) {
    size_t end = 1;
    while (end < tag.size() && tag[end] != ' ' && tag[end] != '>' && tag[end] != '/' &&
           tag[end] != '\t' && tag[end] != '\n' && tag[end] != '\r') {
        ++end;
    }
    std::string_view name = tag.substr(1, end - 1);
    const size_t colon = name.find(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

void applyParam(LsmTrack& track, std::string_view tag) {
    const auto name = attribute(tag, "name");
    const auto value = attribute(tag, "value");
    if (!name || !value) {
        return;
    }
    if (*name == "trackID") {
        track.trackId = uint32_t(toInt(value));
    } else if (*name == "trackName") {
        track.trackName = *value;
    } else if (*name == "systemBitrate" && track.systemBitrate == 0) {
        track.systemBitrate = int(toInt(value));
    } else if (*name == "timescale") {
        track.timescale = toInt(value);
    } else if (*name == "FourCC") {
        track.fourCC = *value;
    }
}

}  // namespace

Result<std::string> utf16ToUtf8(std::span<const uint8_t> bytes) {
    bool bigEndian = true;
    if (bytes.size() >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE) {
        bigEndian = false;
        bytes = bytes.subspan(2);
    } else if (bytes.size() >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF) {
        bytes = bytes.subspan(2);
    } else if (bytes.size() >= 2 && bytes[1] == 0 && bytes[0] != 0) {
        bigEndian = false;
    }
    if (bytes.size() % 2 != 0) {
        return makeError(ErrorCode::Parse, "UTF-16 text has an odd byte count");
    }
    std::string out;
    out.reserve(bytes.size() / 2);
    for (size_t i = 0; i < bytes.size(); i += 2) {
        auto unit = [&](size_t at) {
            return bigEndian ? uint32_t(bytes[at] << 8 | bytes[at + 1])
                             : uint32_t(bytes[at + 1] << 8 | bytes[at]);
        };
        uint32_t cp = unit(i);
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (i + 3 >= bytes.size()) {
                return makeError(ErrorCode::Parse, "UTF-16 text ends inside a surrogate pair");
            }
            const uint32_t low = unit(i + 2);
            if (low < 0xDC00 || low > 0xDFFF) {
                return makeError(ErrorCode::Parse, "UTF-16 text has an unpaired surrogate");
            }
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            i += 2;
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return makeError(ErrorCode::Parse, "UTF-16 text has an unpaired surrogate");
        }
        appendUtf8(out, cp);
    }
    return out;
}

Result<std::vector<LsmTrack>> LsmParser::parse(std::span<const uint8_t> xml, size_t maxTracks) {
    std::string text;
    if (looksUtf16(xml)) {
        auto utf8 = utf16ToUtf8(xml);
        if (!utf8) {
            return makeError(utf8.error().withContext("live server manifest"));
        }
        text = std::move(*utf8);
    } else {
        text.assign(xml.begin(), xml.end());
        if (text.starts_with("\xEF\xBB\xBF")) {
            text.erase(0, 3);
        }
    }
    while (!text.empty() && text.back() == '\0') {
        text.pop_back();  // some encoders NUL-terminate the XML
    }
    if (text.find("<smil") == std::string::npos && text.find(":smil") == std::string::npos) {
        return makeError(ErrorCode::Parse, "live server manifest: no <smil> root element");
    }
    std::vector<LsmTrack> tracks;
    std::optional<LsmTrack> open;
    size_t pos = 0;
    while ((pos = text.find('<', pos)) != std::string::npos) {
        const size_t end = text.find('>', pos);
        if (end == std::string::npos) {
            return makeError(ErrorCode::Parse, "live server manifest: unterminated tag");
        }
        const std::string_view tag(text.data() + pos, end - pos + 1);
        pos = end + 1;
        if (tag.starts_with("</")) {
            const std::string_view name = localName(tag.substr(1));
            if (open && name == open->kind) {
                tracks.push_back(std::move(*open));
                open.reset();
            }
            continue;
        }
        const std::string_view name = localName(tag);
        if (name == "video" || name == "audio" || name == "textstream") {
            if (tracks.size() + (open ? 1 : 0) >= maxTracks) {
                return makeError(
                    ErrorCode::LimitExceeded,
                    "live server manifest: more than " + std::to_string(maxTracks) + " tracks");
            }
            LsmTrack track;
            track.kind = std::string(name);
            track.systemBitrate = int(toInt(attribute(tag, "systemBitrate")));
            if (tag.ends_with("/>")) {
                tracks.push_back(std::move(track));
            } else {
                open = std::move(track);
            }
        } else if (name == "param" && open) {
            applyParam(*open, tag);
        }
    }
    if (tracks.empty()) {
        return makeError(ErrorCode::Parse, "live server manifest: no video or audio element");
    }
    return tracks;
}

}  // namespace podium::publisher::origin
