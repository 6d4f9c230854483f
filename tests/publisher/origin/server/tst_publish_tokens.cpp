// Publish credentials: the token file format (--publish-token-file) and the ingest check
// against per-channel and any-channel tokens. Pure; no server.
#include <QtTest>

#include "publisher/origin/server/publish_tokens.h"

using namespace podium;
using namespace podium::publisher::origin;

namespace {
int allowedValue() {
    return int(PublishAuth::Allowed);
}
}  // namespace

class TstPublishTokens : public QObject {
    Q_OBJECT
private slots:
    void badFilesNameTheLineNotTheToken_data();
    void badFilesNameTheLineNotTheToken();
    void fileWithCommentsAndAnyChannel();
    void check_data();
    void check();
};

void TstPublishTokens::badFilesNameTheLineNotTheToken_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("token missing") << "# tokens\ncam1\n"
                                   << "tokens.txt line 2: expected";
    QTest::newRow("three fields") << "cam1 s3cret-one extra\n"
                                  << "tokens.txt line 1: expected";
    QTest::newRow("channel with a slash") << "* s3cret-one\nca/m s3cret-two\n"
                                          << "tokens.txt line 2: channel \"ca/m\"";
    QTest::newRow("no token at all") << "# nothing yet\n\n"
                                     << "tokens.txt holds no";
}

void TstPublishTokens::badFilesNameTheLineNotTheToken() {
    QFETCH(QString, text);
    QFETCH(QString, expected);
    auto tokens = PublishTokens::parse(text.toStdString(), "tokens.txt");
    QVERIFY(!tokens);
    const QString message = QString::fromStdString(tokens.error().toString());
    QVERIFY2(message.contains(expected), qPrintable(message));
    QVERIFY2(!message.contains("s3cret"), qPrintable(message));
}

void TstPublishTokens::fileWithCommentsAndAnyChannel() {
    auto tokens = PublishTokens::parse(
        "# channel token\r\n\r\ncam1  tok-a\ncam1\ttok-b\n* tok-all\n", "tokens.txt");
    QVERIFY2(tokens, tokens ? "" : tokens.error().toString().c_str());
    QCOMPARE(tokens->size(), std::size_t(3));
    QVERIFY(tokens->matches("cam1", "tok-a"));
    QVERIFY(tokens->matches("cam1", "tok-b"));
    QVERIFY(tokens->matches("cam1", "tok-all"));
    QVERIFY(tokens->matches("other", "tok-all"));
    QVERIFY(!tokens->matches("other", "tok-a"));
    QVERIFY(!tokens->matches("cam1", "tok-"));
}

void TstPublishTokens::check_data() {
    QTest::addColumn<QString>("channel");
    QTest::addColumn<QString>("authorization");
    QTest::addColumn<int>("expected");  // PublishAuth
    const int allowed = int(PublishAuth::Allowed);
    const int missing = int(PublishAuth::Missing);
    const int wrong = int(PublishAuth::Wrong);
    // File: "cam1 tok-a"; flag: "flag-token" (any channel).
    QTest::newRow("per-channel token, Bearer") << "cam1"
                                               << "Bearer tok-a" << allowed;
    QTest::newRow("per-channel token on another channel") << "cam2"
                                                          << "Bearer tok-a" << wrong;
    QTest::newRow("flag token on any channel") << "cam2"
                                               << "Bearer flag-token" << allowed;
    QTest::newRow("Basic password")
        << "cam1"
        << "Basic " + QString(QByteArray("enc:tok-a").toBase64()) << allowed;
    QTest::newRow("Basic without a colon")
        << "cam1"
        << "Basic " + QString(QByteArray("tok-a").toBase64()) << wrong;
    QTest::newRow("no header") << "cam1"
                               << "" << missing;
    QTest::newRow("unknown scheme") << "cam1"
                                    << "Digest x" << missing;
    QTest::newRow("empty Bearer") << "cam1"
                                  << "Bearer  " << missing;
    QTest::newRow("prefix of the token") << "cam1"
                                         << "Bearer tok-" << wrong;
}

void TstPublishTokens::check() {
    QFETCH(QString, channel);
    QFETCH(QString, authorization);
    QFETCH(int, expected);
    auto tokens = PublishTokens::parse("cam1 tok-a\n", "tokens.txt");
    QVERIFY(tokens);
    QCOMPARE(int(checkPublisher(*tokens, "flag-token", channel.toStdString(),
                                authorization.toStdString())),
             expected);
    // With no token anywhere, ingest is open.
    QCOMPARE(int(checkPublisher(PublishTokens(), "", "cam1", "")), allowedValue());
}

QTEST_GUILESS_MAIN(TstPublishTokens)
#include "tst_publish_tokens.moc"
