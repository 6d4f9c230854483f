#pragma once
// Shared helpers of the push tests: a real x264 + AAC encode packaged into CMAF (the same
// Packager the session uses), pacing it into a sink, ffmpeg/ffprobe and a small Python
// receiver that records every request.

#include <QDir>
#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <functional>
#include <thread>
#include <vector>

#include "core/segment_schedule.h"
#include "core/video_frame.h"
#include "encoder/aac_encoder.h"
#include "encoder/x264_encoder.h"
#include "publisher/mp4/packager.h"
#include "publisher/sinks/segment_sink.h"

namespace podium::publisher::push::test {

/// Everything a packager emitted, in order (no chunks).
struct TestStream {
    std::vector<TrackInfo> tracks;
    std::vector<SinkItem> items;
    int videoFrames = 0;
};

class Collector final : public PackagerListener {
public:
    explicit Collector(TestStream& s) : s_(s) {}
    void onInitSegment(const InitSegmentPtr& init) override { s_.items.emplace_back(init); }
    void onChunk(const ChunkPtr&) override {}
    void onSegment(const SegmentPtr& segment) override { s_.items.emplace_back(segment); }
    void onEndOfStream() override { s_.items.emplace_back(EndOfStream{}); }

private:
    TestStream& s_;
};

struct Rendition {
    std::string id;
    int width;
    int height;
    int kbps;
};

/// `seconds` of 30 fps video per rendition (1 s segments: an IDR each second) and, with
/// `audio`, 48 kHz stereo AAC, packaged exactly as a session does. `noise` makes every frame
/// random so that x264 really spends the bitrate.
inline TestStream makeStream(int seconds, const std::vector<Rendition>& renditions, bool audio,
                             bool noise = false) {
    uint32_t rng = 12345;
    TestStream out;
    std::vector<std::unique_ptr<encoder::X264Encoder>> video;
    for (size_t i = 0; i < renditions.size(); ++i) {
        encoder::X264Config c;
        c.width = renditions[i].width;
        c.height = renditions[i].height;
        c.bitrateKbps = renditions[i].kbps;
        c.maxBitrateKbps = renditions[i].kbps * 2;
        c.preset = "ultrafast";
        c.keyintMax = 60;
        c.threads = 1;
        c.renditionId = renditions[i].id;
        auto e = encoder::X264Encoder::create(c, int(i));
        if (!e) {
            qFatal("x264: %s", e.error().toString().c_str());
        }
        out.tracks.push_back((*e)->trackInfo(renditions[i].id));
        video.push_back(std::move(*e));
    }
    std::unique_ptr<encoder::AacEncoder> aac;
    if (audio) {
        auto a = encoder::AacEncoder::create({48000, 2, 96}, int(renditions.size()));
        if (!a) {
            qFatal("aac: %s", a.error().toString().c_str());
        }
        out.tracks.push_back((*a)->trackInfo("audio"));
        aac = std::move(*a);
    }
    Collector collector(out);
    const SegmentSchedule schedule(MediaTime{90000, 90000}, MediaTime{45000, 90000});
    Packager packager(out.tracks, schedule, collector);
    packager.start();
    const auto add = [&](const Result<std::vector<EncodedPacket>>& packets) {
        if (!packets) {
            qFatal("encode: %s", packets.error().toString().c_str());
        }
        for (const auto& p : *packets) {
            if (auto r = packager.addPacket(p); !r) {
                qFatal("package: %s", r.error().toString().c_str());
            }
        }
    };
    const int frames = seconds * 30;
    for (int f = 0; f < frames; ++f) {
        const MediaTime pts{int64_t(f) * 3000, 90000};
        for (size_t i = 0; i < video.size(); ++i) {
            VideoFrame frame = VideoFrame::makeI420(renditions[i].width, renditions[i].height);
            for (int y = 0; y < frame.height; ++y) {
                for (int x = 0; x < frame.width; ++x) {
                    rng = rng * 1664525u + 1013904223u;
                    frame.plane(0)[y * frame.width + x] =
                        noise ? uint8_t(rng >> 24) : uint8_t((x + y + 4 * f) & 0xff);
                }
            }
            frame.pts = pts;
            frame.sequence = f;
            const bool idr =
                f == 0 || schedule.isSegmentBoundary(MediaTime{pts.value - 3000, 90000}, pts);
            add(video[i]->encode(frame, idr));
        }
        if (aac) {
            AudioFrame a;
            a.pts = MediaTime{int64_t(f) * 1600, 48000};
            a.samples.resize(1600 * 2);
            for (int s = 0; s < 1600; ++s) {
                const float v = 0.2f * std::sin(float(f * 1600 + s) * 0.0576f);
                a.samples[size_t(2 * s)] = v;
                a.samples[size_t(2 * s + 1)] = v;
            }
            add(aac->encode(a));
        }
    }
    for (auto& v : video) {
        add(v->flush());
    }
    if (aac) {
        add(aac->flush());
    }
    (void)packager.finish();
    out.videoFrames = frames;
    // Inits carry the final codec details: give them to the track list.
    for (const auto& item : out.items) {
        if (const auto* init = std::get_if<InitSegmentPtr>(&item)) {
            out.tracks[size_t((*init)->track.trackIndex)] = (*init)->track;
        }
    }
    return out;
}

/// Only the items of the tracks whose index is in `keep` (renumbered from 0 is NOT done).
inline TestStream onlyTracks(const TestStream& s, const std::vector<int>& keep) {
    TestStream out;
    out.videoFrames = s.videoFrames;
    const auto kept = [&](int i) { return std::find(keep.begin(), keep.end(), i) != keep.end(); };
    for (const auto& t : s.tracks) {
        if (kept(t.trackIndex)) {
            out.tracks.push_back(t);
        }
    }
    for (const auto& item : s.items) {
        int index = -1;
        if (const auto* i = std::get_if<InitSegmentPtr>(&item)) {
            index = (*i)->track.trackIndex;
        } else if (const auto* g = std::get_if<SegmentPtr>(&item)) {
            index = (*g)->trackIndex;
        }
        if (index < 0 || kept(index)) {
            out.items.push_back(item);
        }
    }
    return out;
}

/// Delivers every item; with `realTime`, a segment is delivered when its end time has passed
/// since the call (as a live encoder would), scaled by `speed`.
inline void play(SegmentSink& sink, const TestStream& s, bool realTime, double speed = 1.0,
                 const std::function<void(double)>& atTime = {}) {
    const auto t0 = std::chrono::steady_clock::now();
    for (const auto& item : s.items) {
        if (const auto* g = std::get_if<SegmentPtr>(&item); g && realTime) {
            const double end = ((*g)->start.seconds() + (*g)->duration.seconds()) / speed;
            std::this_thread::sleep_until(t0 + std::chrono::milliseconds(int64_t(end * 1000)));
            if (atTime) {
                atTime(end);
            }
        }
        if (auto r = sink.deliver(item); !r) {
            QWARN(r.error().toString().c_str());
        }
    }
}

inline uint16_t freePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

/// True once something accepts TCP connections on 127.0.0.1:`port` (polls up to ~10 s).
inline bool waitForPort(uint16_t port) {
    for (int i = 0; i < 200; ++i) {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = htons(port);
        const bool up = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
        ::close(fd);
        if (up) {
            return true;
        }
        QTest::qWait(50);
    }
    return false;
}

inline bool haveTool(const char* name) {
    return !QStandardPaths::findExecutable(QString::fromLatin1(name)).isEmpty();
}

/// Python receiver: records each request as <dir>/<n>.req (request line + headers) and
/// <n>.body (the de-chunked body), answering `status` after the whole body.
inline QString recorderScript() {
    return QStringLiteral(R"PY(
import http.server, sys, os, threading
d, port, status = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
lock = threading.Lock(); counter = [0]
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    def handle_any(self):
        with lock:
            counter[0] += 1; n = counter[0]
        with open(os.path.join(d, '%04d.req' % n), 'w') as f:
            f.write(self.command + ' ' + self.path + '\n' + str(self.headers))
        body = open(os.path.join(d, '%04d.body' % n), 'wb')
        if self.headers.get('Transfer-Encoding', '').lower() == 'chunked':
            while True:
                size = int(self.rfile.readline().strip().split(b';')[0], 16)
                if size == 0:
                    self.rfile.readline(); break
                body.write(self.rfile.read(size)); body.flush(); self.rfile.readline()
        else:
            body.write(self.rfile.read(int(self.headers.get('Content-Length', '0'))))
        body.close()
        self.send_response(status); self.send_header('Content-Length', '0'); self.end_headers()
    do_POST = do_PUT = do_DELETE = handle_any
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(('127.0.0.1', port), H).serve_forever()
)PY");
}

}  // namespace podium::publisher::push::test
