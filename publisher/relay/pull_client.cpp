#include "publisher/relay/pull_client.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <tuple>

#include "core/log.h"
#include "core/thread.h"
#include "core/url_name.h"
#include "publisher/mp4/box_reader.h"
#include "publisher/origin/ingest/movie_header.h"
#include "publisher/push/curl_handle.h"

namespace podium::publisher::relay {

namespace {

// Decode times beyond this are refused (as the ingest does): every sum and rescale stays in
// int64.
constexpr uint64_t kMaxDecodeTime = uint64_t(1) << 62;

// A GET body that stops growing at `max` bytes (the write callback then aborts the transfer).
struct BoundedBody {
    std::vector<uint8_t> bytes;
    uint64_t max = 0;
    bool overflow = false;
};

size_t appendBody(char* data, size_t size, size_t count, void* user) {
    auto* body = static_cast<BoundedBody*>(user);
    const size_t n = size * count;
    if (n > body->max - body->bytes.size()) {
        body->overflow = true;
        return 0;  // CURLE_WRITE_ERROR
    }
    body->bytes.insert(body->bytes.end(), data, data + n);
    return n;
}

// "http" or "https" for a URL with one of those schemes, else empty.
std::string httpScheme(const std::string& url) {
    if (url.rfind("http://", 0) == 0) {
        return "http";
    }
    if (url.rfind("https://", 0) == 0) {
        return "https";
    }
    return {};
}

int abortWhenStopping(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    return static_cast<std::atomic<bool>*>(user)->load() ? 1 : 0;
}

std::string text(const std::vector<uint8_t>& bytes) {
    return std::string(bytes.begin(), bytes.end());
}

/// The track of a CMAF header: the moov parsed as the ingest does, then the playlist's view of
/// it (id, bitrates, frame rate) on top.
Result<TrackInfo> trackFromInit(const std::vector<uint8_t>& init, const PlaylistVariant& variant,
                                const std::string& id, int index) {
    auto boxes = mp4::BoxReader::parse(init);
    if (!boxes) {
        return makeError(boxes.error().withContext("init of " + id));
    }
    const mp4::Box* moov = mp4::findBox(*boxes, "moov");
    if (!moov) {
        return makeError(ErrorCode::Parse, "the init of " + id + " has no moov");
    }
    auto tracks = origin::parseMovieHeader(
        std::span<const uint8_t>(init).subspan(moov->offset, moov->size), {});
    if (!tracks) {
        return makeError(tracks.error().withContext("init of " + id));
    }
    if (tracks->empty()) {
        return makeError(ErrorCode::Parse, "the init of " + id + " declares no track");
    }
    TrackInfo info = (*tracks)[0].info;
    info.id = id;
    info.trackIndex = index;
    // The parser bounds BANDWIDTH to int and FRAME-RATE to (0, 1000].
    if (!variant.isAudio && variant.bandwidth > 0) {
        info.maxBitrateBps = int(variant.bandwidth);
        info.bitrateBps =
            int(variant.averageBandwidth > 0 ? variant.averageBandwidth : variant.bandwidth);
    }
    if (!variant.isAudio && variant.frameRate > 0 && info.fpsNum == 0) {
        info.fpsNum = int(std::lround(variant.frameRate * 1000));
        info.fpsDen = 1000;
    }
    return info;
}

/// Sum of the trun sample durations of every fragment; 0 when a trun carries none. Errors:
/// Parse (a malformed trun, a sum beyond 2^62 ticks), LimitExceeded (too many samples).
Result<int64_t> trunDuration(const std::vector<mp4::Box>& boxes) {
    uint64_t total = 0;
    for (const mp4::Box* trun : mp4::findAllBoxes(boxes, "moof/traf/trun")) {
        auto t = mp4::readTrun(*trun);
        if (!t) {
            return makeError(t.error());
        }
        if (!(t->flags & 0x100)) {
            return 0;
        }
        for (const auto& s : t->samples) {
            total += s.duration;  // < 2^62 + 2^32: cannot wrap before the check below
            if (total > kMaxDecodeTime) {
                return makeError(ErrorCode::Parse, "trun durations add up beyond 2^62 ticks");
            }
        }
    }
    return int64_t(total);
}

}  // namespace

const char* pullStateName(PullState state) {
    switch (state) {
        case PullState::Connecting:
            return "connecting";
        case PullState::Live:
            return "live";
        case PullState::Retrying:
            return "retrying";
        case PullState::Failed:
            return "failed";
        case PullState::Finished:
            return "finished";
    }
    return "?";
}

Result<std::string> PullClient::channelFromUrl(const std::string& url) {
    if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
        return makeError(ErrorCode::InvalidArgument, "--pull-from needs an http(s) URL: " + url);
    }
    const std::string path = url.substr(0, url.find_first_of("?#"));
    const size_t last = path.rfind('/');
    const size_t before = last == std::string::npos ? last : path.rfind('/', last - 1);
    const std::string channel =
        before == std::string::npos ? std::string() : path.substr(before + 1, last - before - 1);
    if (path.substr(last + 1) != "index.m3u8" || !isUrlName(channel)) {
        return makeError(ErrorCode::InvalidArgument,
                         "--pull-from expects http://host/live/<channel>/index.m3u8, got " + url);
    }
    return channel;
}

Result<std::unique_ptr<PullClient>> PullClient::start(origin::ChannelStore& store,
                                                      const std::string& spec,
                                                      PullOptions options) {
    std::vector<std::string> urls;
    size_t from = 0;
    while (from <= spec.size()) {
        const size_t comma = std::min(spec.find(',', from), spec.size());
        if (comma > from) {
            urls.push_back(spec.substr(from, comma - from));
        }
        from = comma + 1;
    }
    if (urls.empty()) {
        return makeError(ErrorCode::InvalidArgument, "--pull-from needs a URL");
    }
    std::string channel;
    for (const auto& url : urls) {
        auto name = channelFromUrl(url);
        if (!name) {
            return makeError(name.error());
        }
        channel = channel.empty() ? *name : channel;
    }
    std::unique_ptr<PullClient> client(
        new PullClient(store, channel, std::move(urls), std::move(options)));
    PullClient* c = client.get();
    auto thread = startThread(
        "pull " + channel, [c](std::stop_token) { c->run(); },
        [c](const Status& failure) {
            c->update([&](PullStatus& s) {
                s.state = PullState::Failed;
                s.lastError = failure.toString();
            });
        });
    if (!thread) {
        return makeError(thread.error().withContext("pull " + channel));
    }
    client->thread_ = std::move(*thread);
    return client;
}

PullClient::PullClient(origin::ChannelStore& store, std::string channel,
                       std::vector<std::string> urls, PullOptions options)
    : store_(store),
      channelName_(std::move(channel)),
      urls_(std::move(urls)),
      options_(std::move(options)) {
    status_.channel = channelName_;
    status_.url = urls_.front();
}

PullClient::~PullClient() {
    stop();
}

void PullClient::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

PullStatus PullClient::status() const {
    std::lock_guard lock(mutex_);
    return status_;
}

bool PullClient::sleepFor(std::chrono::milliseconds delay) {
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, delay, [&] { return stopping_.load(); });
    return !stopping_;
}

// One connect-or-reload and ingest round. Whatever the upstream sent, this returns: an
// exception (memory) becomes an Internal Status like any other failure, then a retry.
Result<bool> PullClient::attempt(bool connected, const std::string& url) {
    Result<bool> done = makeError(ErrorCode::Internal, "not run");
    const bool ran = runGuarded("pull " + channelName_, [&] {
        done = connected ? reload().and_then([&] { return ingest(); })
                         : connect(url).and_then([&] { return ingest(); });
    });
    if (!ran) {
        return makeError(ErrorCode::Internal, "the pull round failed with an exception");
    }
    return done;
}

void PullClient::run() {
    push::RetryPolicy policy(options_.retry, urls_);
    std::string url = urls_.front();
    bool connected = false;
    while (!stopping_) {
        Result<bool> done = attempt(connected, url);
        if (stopping_) {
            break;
        }
        if (done) {
            connected = true;
            policy.onSuccess();
            update([&](PullStatus& s) {
                s.state = *done ? PullState::Finished : PullState::Live;
                s.url = url;
                s.lastError.clear();
            });
            if (*done) {
                channel_->end();
                return;
            }
            const double target = tracks_.empty() ? 2.0 : tracks_[0].playlist.targetDuration;
            sleepFor(
                std::max(options_.minReload, std::chrono::milliseconds(int64_t(target * 500.0))));
            continue;
        }
        // An upstream without the channel (yet), or one serving something unusable, is waited
        // for like an unreachable one: only refused credentials stop the pull.
        Status failure = done.error();
        if (failure.code() != ErrorCode::PermissionDenied) {
            failure = Status(ErrorCode::Unavailable, failure.message());
        }
        const auto decision = policy.onFailure(failure);
        update([&](PullStatus& s) {
            if (s.lastError != done.error().toString()) {  // log changes, not every retry
                logWarning("pull", channelName_ + ": " + done.error().toString());
            }
            s.state = decision.retry ? PullState::Retrying : PullState::Failed;
            s.retries = policy.retries();
            s.lastError = done.error().toString();
        });
        if (!decision.retry) {
            return;
        }
        connected = false;
        url = decision.url;
        if (!sleepFor(decision.delay)) {
            break;
        }
    }
}

Result<std::vector<uint8_t>> PullClient::fetch(const std::string& url, uint64_t maxBytes) {
    const std::string scheme = httpScheme(url);
    if (scheme.empty()) {
        return makeError(ErrorCode::InvalidArgument,
                         "refusing to fetch " + url + ": only http and https URLs are pulled");
    }
    auto curl = push::CurlEasy::create();
    if (!curl) {
        return makeError(curl.error());
    }
    push::RequestSettings settings;
    settings.connectTimeout = options_.connectTimeout;
    settings.stallTimeout = options_.requestTimeout;
    settings.userAgent = options_.userAgent;
    push::CurlHeaders headers;
    if (auto applied = push::applySettings(curl->get(), settings, url, headers); !applied) {
        return makeError(applied.error());
    }
    BoundedBody body;
    body.max = maxBytes;
    CURL* h = curl->get();
    CURLcode rc = CURLE_OK;
    const auto set = [&](CURLoption option, auto value) {
        if (rc == CURLE_OK) {
            rc = curl_easy_setopt(h, option, value);
        }
    };
    set(CURLOPT_HTTPGET, 1L);
    set(CURLOPT_TIMEOUT_MS, long(options_.requestTimeout.count()));
    set(CURLOPT_WRITEFUNCTION, appendBody);
    set(CURLOPT_WRITEDATA, &body);
    set(CURLOPT_NOPROGRESS, 0L);
    set(CURLOPT_XFERINFOFUNCTION, abortWhenStopping);
    set(CURLOPT_XFERINFODATA, &stopping_);
    // Refused before a byte is read when the upstream announces a larger Content-Length.
    set(CURLOPT_MAXFILESIZE_LARGE, curl_off_t(std::min<uint64_t>(maxBytes, INT64_MAX)));
    // The request's own scheme only, redirects included (never file://, ftp://, or https
    // quietly downgraded to http), and at most a few hops.
    set(CURLOPT_PROTOCOLS_STR, scheme.c_str());
    set(CURLOPT_REDIR_PROTOCOLS_STR, scheme.c_str());
    set(CURLOPT_FOLLOWLOCATION, options_.maxRedirects > 0 ? 1L : 0L);
    set(CURLOPT_MAXREDIRS, std::max(0L, options_.maxRedirects));
    if (rc != CURLE_OK) {
        return makeError(ErrorCode::Internal,
                         std::string("curl_easy_setopt failed: ") + curl_easy_strerror(rc));
    }
    const CURLcode code = curl_easy_perform(h);
    long http = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &http);
    if (body.overflow || code == CURLE_FILESIZE_EXCEEDED) {
        return makeError(ErrorCode::LimitExceeded, "GET " + url + ": the body is larger than " +
                                                       std::to_string(maxBytes) + " bytes");
    }
    if (code == CURLE_TOO_MANY_REDIRECTS) {
        return makeError(
            ErrorCode::Unavailable,
            "GET " + url + ": more than " + std::to_string(options_.maxRedirects) + " redirects");
    }
    if (code == CURLE_UNSUPPORTED_PROTOCOL) {
        return makeError(ErrorCode::Unavailable,
                         "GET " + url + ": redirected to a scheme other than " + scheme);
    }
    if (options_.maxRedirects <= 0 && http >= 300 && http < 400) {
        return makeError(ErrorCode::Unavailable, "GET " + url + ": redirected (HTTP " +
                                                     std::to_string(http) +
                                                     "); redirects are not followed");
    }
    if (auto r = push::transferStatus(code, http, "GET " + url); !r) {
        return makeError(r.error());
    }
    update([&](PullStatus& s) { s.bytes += body.bytes.size(); });
    return std::move(body.bytes);
}

Result<void> PullClient::connect(const std::string& url) {
    update([&](PullStatus& s) { s.url = url; });
    auto multivariant = fetch(url, options_.maxPlaylistBytes);
    if (!multivariant) {
        return makeError(multivariant.error());
    }
    auto variants = parseMultivariant(text(*multivariant), options_.maxTracks);
    if (!variants) {
        return makeError(variants.error().withContext(url));
    }
    std::vector<Track> tracks;
    std::vector<TrackInfo> infos;
    std::vector<InitSegmentPtr> inits;
    for (const auto& v : *variants) {
        Track t;
        t.id = trackIdFromUri(v.uri);
        for (const auto& other : tracks) {
            if (other.id == t.id) {
                t.id += "_" + std::to_string(tracks.size());  // two URIs, one folder name
            }
        }
        t.variant = v;
        t.playlistUrl = resolveUrl(url, v.uri);
        for (const auto& old : tracks_) {
            if (old.id == t.id) {
                t.lastSequence = old.lastSequence;  // a reconnect continues where it was
            }
        }
        auto media = fetch(t.playlistUrl, options_.maxPlaylistBytes);
        if (!media) {
            return makeError(media.error());
        }
        auto playlist = parseMediaPlaylist(text(*media));
        if (!playlist) {
            return makeError(playlist.error().withContext(t.playlistUrl));
        }
        t.playlist = *playlist;
        auto init = fetch(resolveUrl(t.playlistUrl, playlist->mapUri), options_.maxBodyBytes);
        if (!init) {
            return makeError(init.error());
        }
        auto info = trackFromInit(*init, v, t.id, int(tracks.size()));
        if (!info) {
            return makeError(info.error());
        }
        t.info = *info;
        infos.push_back(t.info);
        auto header = std::make_shared<InitSegment>();
        header->track = t.info;
        header->bytes = std::move(*init);
        tracks.push_back(std::move(t));
        inits.push_back(std::move(header));
    }
    if (!channel_) {
        origin::ChannelConfig config = store_.defaults();
        config.name = channelName_;
        config.partTarget = MediaTime{0, kVideoTimescale};
        config.expiresWhenIdle = false;  // this client holds the channel while it runs
        if (!tracks.empty() && tracks[0].playlist.targetDuration > 0) {
            config.segmentTarget =
                MediaTime::fromSeconds(tracks[0].playlist.targetDuration, kVideoTimescale);
        }
        channel_ = store_.getOrCreate(channelName_, &config);
    }
    channel_->setTracks(infos);
    for (const auto& init : inits) {
        channel_->setInit(init);  // a different header starts a discontinuity
    }
    tracks_ = std::move(tracks);
    return {};
}

Result<void> PullClient::reload() {
    for (auto& t : tracks_) {
        auto media = fetch(t.playlistUrl, options_.maxPlaylistBytes);
        if (!media) {
            return makeError(media.error());
        }
        auto playlist = parseMediaPlaylist(text(*media));
        if (!playlist) {
            return makeError(playlist.error().withContext(t.playlistUrl));
        }
        t.playlist = *playlist;
    }
    return {};
}

Result<bool> PullClient::ingest() {
    std::vector<std::tuple<int64_t, int, const PlaylistSegment*>> todo;
    bool gap = false;
    for (size_t i = 0; i < tracks_.size(); ++i) {
        Track& t = tracks_[i];
        const auto& segments = t.playlist.segments;
        if (segments.empty()) {
            continue;
        }
        if (t.lastSequence == INT64_MIN) {  // first sight of this track
            const int64_t backlog = options_.startBacklogSegments;
            t.lastSequence =
                backlog < 0 ? segments.front().sequence - 1 : segments.back().sequence - backlog;
        } else if (segments.back().sequence < t.lastSequence) {
            t.lastSequence = segments.back().sequence - 1;  // upstream restarted its numbering
            gap = true;
        } else if (segments.front().sequence > t.lastSequence + 1) {
            gap = true;  // segments left the upstream window before we got them
        }
        for (const auto& s : segments) {
            if (s.sequence > t.lastSequence) {
                todo.emplace_back(s.sequence, int(i), &s);
            }
        }
    }
    if (gap && seenBefore_) {
        channel_->markDiscontinuity();
    }
    std::sort(todo.begin(), todo.end(), [](const auto& a, const auto& b) {
        return std::tie(std::get<0>(a), std::get<1>(a)) < std::tie(std::get<0>(b), std::get<1>(b));
    });
    for (const auto& [sequence, index, segment] : todo) {
        if (stopping_) {
            return false;
        }
        if (auto r = storeSegment(tracks_[size_t(index)], index, *segment); !r) {
            return makeError(r.error());
        }
    }
    seenBefore_ = true;
    return !tracks_.empty() && std::all_of(tracks_.begin(), tracks_.end(),
                                           [](const Track& t) { return t.playlist.ended; });
}

Result<void> PullClient::storeSegment(Track& track, int trackIndex,
                                      const PlaylistSegment& segment) {
    auto bytes = fetch(resolveUrl(track.playlistUrl, segment.uri), options_.maxBodyBytes);
    if (!bytes) {
        return makeError(bytes.error());
    }
    auto boxes = mp4::BoxReader::parse(*bytes);
    if (!boxes) {
        return makeError(boxes.error().withContext(segment.uri));
    }
    const mp4::Box* tfdt = mp4::findBox(*boxes, "moof/traf/tfdt");
    auto start =
        tfdt ? mp4::readTfdt(*tfdt) : Result<uint64_t>(makeError(ErrorCode::Parse, "no tfdt"));
    if (start && *start > kMaxDecodeTime) {
        start = makeError(ErrorCode::Parse, "tfdt beyond 2^62 ticks");
    }
    if (!start) {
        return makeError(start.error().withContext(track.id + " " + segment.uri));
    }
    const int32_t timescale = track.info.timescale;
    auto summed = trunDuration(*boxes);
    if (!summed) {
        return makeError(summed.error().withContext(track.id + " " + segment.uri));
    }
    int64_t duration = *summed;
    if (duration == 0) {
        duration = std::llround(segment.duration * timescale);
    }
    auto out = std::make_shared<Segment>();
    out->trackIndex = trackIndex;
    out->number = segment.sequence;
    out->start = MediaTime{int64_t(*start), timescale};
    out->duration = MediaTime{duration, timescale};
    out->bytes = std::move(*bytes);
    channel_->addSegment(out);
    track.lastSequence = segment.sequence;
    update([&](PullStatus& s) { ++s.segments; });
    return {};
}

}  // namespace podium::publisher::relay
