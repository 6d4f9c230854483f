#pragma once
// Shared helpers of the ingest tests: real inputs made with the ffmpeg CLI, file IO, and
// top-level box slicing.

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace podium::publisher::origin::test {

/// True when ffmpeg and ffprobe are on PATH.
inline bool haveFfmpeg() {
    return !QStandardPaths::findExecutable(QStringLiteral("ffmpeg")).isEmpty() &&
           !QStandardPaths::findExecutable(QStringLiteral("ffprobe")).isEmpty();
}

/// Runs ffmpeg with `args` (after -v error -y); empty string on success, else its stderr.
inline QString runFfmpeg(const QStringList& args) {
    QProcess p;
    p.start(
        QStringLiteral("ffmpeg"),
        QStringList{QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-y")} + args);
    if (!p.waitForFinished(120000) || p.exitCode() != 0) {
        return QStringLiteral("ffmpeg failed: ") + QString::fromUtf8(p.readAllStandardError());
    }
    return {};
}

/// lavfi test source (testsrc2 320x240 @ 25 fps + 48 kHz sine), x264 GOP 50, AAC.
inline QStringList lavfiInputs(int seconds, const QString& videoRate, const QString& audioRate) {
    return {QStringLiteral("-f"),
            QStringLiteral("lavfi"),
            QStringLiteral("-i"),
            QStringLiteral("testsrc2=size=320x240:rate=25"),
            QStringLiteral("-f"),
            QStringLiteral("lavfi"),
            QStringLiteral("-i"),
            QStringLiteral("sine=sample_rate=48000"),
            QStringLiteral("-t"),
            QString::number(seconds),
            QStringLiteral("-c:v"),
            QStringLiteral("libx264"),
            QStringLiteral("-g"),
            QStringLiteral("50"),
            QStringLiteral("-keyint_min"),
            QStringLiteral("50"),
            QStringLiteral("-sc_threshold"),
            QStringLiteral("0"),
            QStringLiteral("-b:v"),
            videoRate,
            QStringLiteral("-c:a"),
            QStringLiteral("aac"),
            QStringLiteral("-b:a"),
            audioRate};
}

inline std::vector<uint8_t> readBytes(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        return {};
    }
    const QByteArray data = f.readAll();
    return std::vector<uint8_t>(data.begin(), data.end());
}

inline bool writeBytes(const QString& path, const std::vector<uint8_t>& bytes) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(reinterpret_cast<const char*>(bytes.data()),
                                                   qint64(bytes.size())) == qint64(bytes.size());
}

}  // namespace podium::publisher::origin::test
