#pragma once

// Golden text comparison for manifest tests: tests/data/golden/manifest/<name>.
// PODIUM_UPDATE_GOLDEN=1 rewrites the golden file instead of comparing.

#include <QByteArray>
#include <QFile>
#include <QString>
#include <QStringList>

#include <algorithm>
#include <optional>
#include <string>

namespace podium::testing {

inline QString goldenPath(const QString& name) {
    return QStringLiteral(PODIUM_SOURCE_DIR "/tests/data/golden/manifest/") + name;
}

/// Line-by-line view: ' ' same, '-' expected, '+' actual.
inline QString lineDiff(const QString& expected, const QString& actual) {
    const QStringList a = expected.split('\n');
    const QStringList b = actual.split('\n');
    QString out;
    for (qsizetype i = 0; i < std::max(a.size(), b.size()); ++i) {
        const QString left = i < a.size() ? a[i] : QString();
        const QString right = i < b.size() ? b[i] : QString();
        if (left == right) {
            out += "  " + left + "\n";
            continue;
        }
        if (i < a.size()) {
            out += "- " + left + "\n";
        }
        if (i < b.size()) {
            out += "+ " + right + "\n";
        }
    }
    return out;
}

/// nullopt when `actual` equals the golden file (or it was updated), else a readable failure.
inline std::optional<QString> compareWithGolden(const QString& name, const std::string& actual) {
    const QString path = goldenPath(name);
    QFile file(path);
    if (qEnvironmentVariableIntValue("PODIUM_UPDATE_GOLDEN") == 1) {
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            return QStringLiteral("cannot write golden file %1").arg(path);
        }
        file.write(actual.data(), qint64(actual.size()));
        return std::nullopt;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        return QStringLiteral("missing golden file %1 (run with PODIUM_UPDATE_GOLDEN=1)").arg(path);
    }
    const QString expected = QString::fromUtf8(file.readAll());
    const QString got = QString::fromStdString(actual);
    if (expected == got) {
        return std::nullopt;
    }
    return QStringLiteral("%1 differs (- golden, + actual):\n%2")
        .arg(path, lineDiff(expected, got));
}

}  // namespace podium::testing

#define PODIUM_COMPARE_GOLDEN(name, actual)                                                  \
    do {                                                                                     \
        const auto podiumGoldenFailure = ::podium::testing::compareWithGolden(name, actual); \
        QVERIFY2(!podiumGoldenFailure, qPrintable(podiumGoldenFailure.value_or(QString()))); \
    } while (false)
