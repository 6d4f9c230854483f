// The origin's limits table (publisher/origin/origin_limits.h): every OriginLimits field has
// exactly one row (so one flag and one README line), values round-trip through the flag syntax,
// and the README's "Limits" table is the one the code renders.
#include <QtTest>

#include <QFile>
#include <set>

#include "publisher/origin/origin_limits.h"

using namespace podium;
using namespace podium::publisher::origin;

namespace {

/// Converts to anything: counts an aggregate's fields by how many it can be initialised with.
struct AnyField {
    template <typename T>
    operator T() const;  // NOLINT: declared only, used in unevaluated contexts
};

template <typename T, typename... Fields>
constexpr std::size_t fieldCount() {
    if constexpr (requires { T{Fields{}..., AnyField{}}; }) {
        return fieldCount<T, Fields..., AnyField>();
    } else {
        return sizeof...(Fields);
    }
}

}  // namespace

class TstOriginLimitsTable : public QObject {
    Q_OBJECT
private slots:
    void everyFieldHasOneRow();
    void defaultsRoundTrip();
    void parse_data();
    void parse();
    void outOfRangeNamesTheFlag();
    void readmeListsTheTable();
};

void TstOriginLimitsTable::everyFieldHasOneRow() {
    QCOMPARE(fieldCount<OriginLimits>(), kOriginLimitRows.size());
    std::set<std::string_view> flags;
    OriginLimits marked;
    uint64_t mark = 1;
    for (const OriginLimitRow& row : kOriginLimitRows) {
        QVERIFY2(flags.insert(row.flag).second, row.flag.data());
        QVERIFY(!row.what.empty() && !row.overLimit.empty());
        QVERIFY(setLimitValue(marked, row, ++mark));
    }
    // Each row wrote a different field: reading back gives every mark.
    mark = 1;
    for (const OriginLimitRow& row : kOriginLimitRows) {
        QCOMPARE(limitValue(marked, row), ++mark);
    }
}

void TstOriginLimitsTable::defaultsRoundTrip() {
    const OriginLimits defaults;
    for (const OriginLimitRow& row : kOriginLimitRows) {
        const uint64_t value = limitValue(defaults, row);
        QVERIFY(value >= 1);
        auto parsed = parseLimitValue(row, formatLimitValue(row, value));
        QVERIFY2(parsed && *parsed == value, row.flag.data());
    }
}

void TstOriginLimitsTable::parse_data() {
    QTest::addColumn<QString>("flag");
    QTest::addColumn<QString>("text");
    QTest::addColumn<qulonglong>("expected");  // 0: refused
    QTest::newRow("bytes with M") << "max-dvr-bytes"
                                  << "512M" << qulonglong(512) * 1024 * 1024;
    QTest::newRow("bytes with k") << "max-header-bytes"
                                  << "16k" << qulonglong(16384);
    QTest::newRow("bytes with G") << "max-box-bytes"
                                  << "1G" << (qulonglong(1) << 30);
    QTest::newRow("plain count") << "max-connections"
                                 << "100" << qulonglong(100);
    QTest::newRow("zero") << "max-connections"
                          << "0" << qulonglong(0);
    QTest::newRow("negative") << "max-connections"
                              << "-5" << qulonglong(0);
    QTest::newRow("suffix on a count") << "max-connections"
                                       << "10K" << qulonglong(0);
    QTest::newRow("junk after digits") << "idle-timeout"
                                       << "30s" << qulonglong(0);
    QTest::newRow("empty") << "max-channels"
                           << "" << qulonglong(0);
    QTest::newRow("overflow") << "max-box-bytes"
                              << "99999999999999999999G" << qulonglong(0);
}

void TstOriginLimitsTable::parse() {
    QFETCH(QString, flag);
    QFETCH(QString, text);
    QFETCH(qulonglong, expected);
    const OriginLimitRow* row = nullptr;
    for (const auto& r : kOriginLimitRows) {
        if (r.flag == flag.toStdString())
            row = &r;
    }
    QVERIFY(row);
    auto value = parseLimitValue(*row, text.toStdString());
    if (expected == 0) {
        QVERIFY(!value);
        const std::string message = value.error().toString();
        QVERIFY2(message.find("--" + flag.toStdString()) != std::string::npos, message.c_str());
    } else {
        QVERIFY(value);
        QCOMPARE(qulonglong(*value), expected);
    }
}

void TstOriginLimitsTable::outOfRangeNamesTheFlag() {
    OriginLimits limits;
    for (const auto& row : kOriginLimitRows) {
        if (row.flag != "max-connections")
            continue;
        auto set = setLimitValue(limits, row, uint64_t(1) << 40);
        QVERIFY(!set);
        QVERIFY(set.error().toString().find("--max-connections must be between 1 and") !=
                std::string::npos);
        QCOMPARE(limits.maxConnections, OriginLimits{}.maxConnections);
    }
}

void TstOriginLimitsTable::readmeListsTheTable() {
    QFile readme(QStringLiteral(PODIUM_SOURCE_DIR "/README.md"));
    QVERIFY(readme.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(readme.readAll());
    const QString table = QString::fromStdString(limitsMarkdownTable());
    QVERIFY2(text.contains("### Limits"), "README has no Limits section");
    QVERIFY2(text.contains(table),
             qPrintable("README's Limits table differs; it should be:\n" + table));
}

QTEST_GUILESS_MAIN(TstOriginLimitsTable)
#include "tst_origin_limits_table.moc"
