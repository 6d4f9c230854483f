#include <QTest>

#include "publisher/push/push_target.h"

using podium::publisher::push::PushTarget;
using Protocol = PushTarget::Protocol;

class TstPushTarget : public QObject {
    Q_OBJECT
private slots:
    void parse_data();
    void parse();
    void rejects_data();
    void rejects();
    void backupUrlsInOrder();
};

void TstPushTarget::parse_data() {
    QTest::addColumn<QString>("spec");
    QTest::addColumn<int>("protocol");
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addRow("isml path means Smooth")
        << "http://ingest.example/live/ch1.isml" << int(Protocol::Smooth)
        << "http://ingest.example/live/ch1.isml"
        << ""
        << "";
    QTest::addRow("plain path means CMAF")
        << "https://ingest.example/ingest1/" << int(Protocol::Cmaf)
        << "https://ingest.example/ingest1"
        << ""
        << "";
    QTest::addRow("explicit hls prefix") << "hls=http://127.0.0.1:8080/dav/talk"
                                         << int(Protocol::Hls) << "http://127.0.0.1:8080/dav/talk"
                                         << ""
                                         << "";
    QTest::addRow("explicit dash prefix, upper case")
        << "DASH=http://h/x" << int(Protocol::Dash) << "http://h/x"
        << ""
        << "";
    QTest::addRow("explicit cmaf wins over .isml")
        << "cmaf=http://h/a.isml" << int(Protocol::Cmaf) << "http://h/a.isml"
        << ""
        << "";
    QTest::addRow("userinfo becomes Basic credentials")
        << "smooth=http://enc%40ch:s3cret@h:81/p.isml" << int(Protocol::Smooth)
        << "http://h:81/p.isml"
        << "enc@ch"
        << "s3cret";
    QTest::addRow("query with '=' is not a protocol prefix")
        << "http://h/in?key=v" << int(Protocol::Cmaf) << "http://h/in?key=v"
        << ""
        << "";
}

void TstPushTarget::parse() {
    QFETCH(QString, spec);
    QFETCH(int, protocol);
    QFETCH(QString, url);
    QFETCH(QString, user);
    QFETCH(QString, password);
    auto target = PushTarget::parse(spec.toStdString(), "tok");
    QVERIFY2(target.has_value(), target ? "" : target.error().toString().c_str());
    QCOMPARE(int(target->protocol), protocol);
    QCOMPARE(QString::fromStdString(target->url), url);
    QCOMPARE(QString::fromStdString(target->user), user);
    QCOMPARE(QString::fromStdString(target->password), password);
    QCOMPARE(target->token, std::string("tok"));
}

void TstPushTarget::rejects_data() {
    QTest::addColumn<QString>("spec");
    QTest::addRow("rtmp is not HTTP") << "rtmp://h/app";
    QTest::addRow("no scheme") << "h/live.isml";
    QTest::addRow("unknown protocol") << "srt=http://h/x";
    QTest::addRow("no host") << "http:///x";
    QTest::addRow("bad backup") << "http://h/x,ftp://b/x";
}

void TstPushTarget::rejects() {
    QFETCH(QString, spec);
    auto target = PushTarget::parse(spec.toStdString(), {});
    QVERIFY(!target.has_value());
    QCOMPARE(target.error().code(), podium::ErrorCode::InvalidArgument);
}

void TstPushTarget::backupUrlsInOrder() {
    auto target = PushTarget::parse("http://a/p.isml,http://b/p.isml,http://c/p.isml");
    QVERIFY(target.has_value());
    QCOMPARE(target->protocol, Protocol::Smooth);
    const std::vector<std::string> expected{"http://a/p.isml", "http://b/p.isml",
                                            "http://c/p.isml"};
    QCOMPARE(target->urls(), expected);
}

QTEST_GUILESS_MAIN(TstPushTarget)
#include "tst_push_target.moc"
