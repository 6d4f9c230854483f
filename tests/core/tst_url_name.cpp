#include <QtTest>

#include <string>

#include "core/url_name.h"

// The one rule for channel names and track ids (URL path elements and folder names).

using namespace podium;

class TstUrlName : public QObject {
    Q_OBJECT

private slots:
    void rule_data();
    void rule();
    void madeSafe_data();
    void madeSafe();
};

void TstUrlName::rule_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");
    QTest::newRow("plain") << "live" << true;
    QTest::newRow("digits, dash, underscore") << "code-camp_2026" << true;
    QTest::newRow("empty") << "" << false;
    QTest::newRow("64 characters") << QString(64, 'a') << true;
    QTest::newRow("65 characters") << QString(65, 'a') << false;
    QTest::newRow("dot (a path could climb)") << ".." << false;
    QTest::newRow("slash") << "a/b" << false;
    QTest::newRow("space") << "user group" << false;
    QTest::newRow("percent") << "a%2e" << false;
    QTest::newRow("non-ASCII letter") << QString::fromUtf8("caf\xc3\xa9") << false;
}

void TstUrlName::rule() {
    QFETCH(QString, name);
    QFETCH(bool, valid);
    QCOMPARE(isUrlName(name.toStdString()), valid);
}

void TstUrlName::madeSafe_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("kept") << "720p"
                          << "720p";
    QTest::newRow("others become _") << "video 1/2"
                                     << "video_1_2";
    QTest::newRow("empty gets the fallback") << ""
                                             << "track";
    QTest::newRow("cut to 64") << QString(80, 'x') << QString(64, 'x');
}

void TstUrlName::madeSafe() {
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const std::string made = toUrlName(text.toStdString(), "track");
    QCOMPARE(QString::fromStdString(made), expected);
    QVERIFY(isUrlName(made));
}

QTEST_GUILESS_MAIN(TstUrlName)
#include "tst_url_name.moc"
