#include <QTest>

#include "publisher/push/curl_handle.h"
#include "publisher/push/retry_policy.h"

using namespace podium;
using namespace podium::publisher::push;
using std::chrono::milliseconds;

class TstRetryPolicy : public QObject {
    Q_OBJECT
private slots:
    void classification_data();
    void classification();
    void backoff_data();
    void backoff();
    void liveReconnectsWithinTwoSeconds();
    void backupUrlsTriedAtOnceThenBackoff();
    void permanentFailureStops();
    void successResetsBackoff();
};

void TstRetryPolicy::classification_data() {
    QTest::addColumn<int>("curlCode");
    QTest::addColumn<int>("http");
    QTest::addColumn<int>("code");
    QTest::addColumn<bool>("transient");
    QTest::addRow("connection refused")
        << int(CURLE_COULDNT_CONNECT) << 0 << int(ErrorCode::Unavailable) << true;
    QTest::addRow("timeout") << int(CURLE_OPERATION_TIMEDOUT) << 0 << int(ErrorCode::Unavailable)
                             << true;
    QTest::addRow("connection reset mid-body")
        << int(CURLE_SEND_ERROR) << 0 << int(ErrorCode::Unavailable) << true;
    QTest::addRow("untrusted certificate")
        << int(CURLE_PEER_FAILED_VERIFICATION) << 0 << int(ErrorCode::PermissionDenied) << false;
    QTest::addRow("401 wrong password")
        << int(CURLE_OK) << 401 << int(ErrorCode::PermissionDenied) << false;
    QTest::addRow("403 forbidden")
        << int(CURLE_OK) << 403 << int(ErrorCode::PermissionDenied) << false;
    QTest::addRow("404 no publishing point")
        << int(CURLE_OK) << 404 << int(ErrorCode::NotFound) << false;
    QTest::addRow("412 header first")
        << int(CURLE_OK) << 412 << int(ErrorCode::FailedPrecondition) << true;
    QTest::addRow("415 media type") << int(CURLE_OK) << 415 << int(ErrorCode::Unsupported) << false;
    QTest::addRow("500 server error")
        << int(CURLE_OK) << 500 << int(ErrorCode::Unavailable) << true;
    QTest::addRow("503 busy") << int(CURLE_OK) << 503 << int(ErrorCode::Unavailable) << true;
    QTest::addRow("400 bad request")
        << int(CURLE_OK) << 400 << int(ErrorCode::InvalidArgument) << false;
}

void TstRetryPolicy::classification() {
    QFETCH(int, curlCode);
    QFETCH(int, http);
    QFETCH(int, code);
    QFETCH(bool, transient);
    auto status = transferStatus(CURLcode(curlCode), http, "POST http://h/x");
    QVERIFY(!status.has_value());
    QCOMPARE(int(status.error().code()), code);
    QCOMPARE(isTransient(status.error()), transient);
    QVERIFY(status.error().toString().find("POST http://h/x") != std::string::npos);
    QVERIFY(transferStatus(CURLE_OK, 200, "x").has_value());
    QVERIFY(transferStatus(CURLE_OK, 201, "x").has_value());
}

void TstRetryPolicy::backoff_data() {
    QTest::addColumn<int>("attempt");
    QTest::addColumn<double>("unit");
    QTest::addColumn<int>("expectedMs");
    QTest::addRow("first retry, no jitter") << 0 << 0.5 << 1000;
    QTest::addRow("second retry x1.5") << 1 << 0.5 << 1500;
    QTest::addRow("third retry x2.25") << 2 << 0.5 << 2250;
    QTest::addRow("jitter low end") << 0 << 0.0 << 900;
    QTest::addRow("jitter high end") << 0 << 1.0 << 1100;
    QTest::addRow("capped at 10 s") << 12 << 0.5 << 10000;
    QTest::addRow("cap holds with jitter") << 20 << 1.0 << 10000;
}

void TstRetryPolicy::backoff() {
    QFETCH(int, attempt);
    QFETCH(double, unit);
    QFETCH(int, expectedMs);
    QCOMPARE(backoffDelay(RetryConfig{}, attempt, unit).count(), int64_t(expectedMs));
}

void TstRetryPolicy::liveReconnectsWithinTwoSeconds() {
    RetryPolicy policy(RetryConfig::live(), {"http://a/x"});
    const Status down(ErrorCode::Unavailable, "refused");
    auto first = policy.onFailure(down);
    QVERIFY(first.retry);
    QVERIFY(first.delay >= milliseconds(900) && first.delay <= milliseconds(1100));
    for (int i = 0; i < 50; ++i) {
        auto d = policy.onFailure(down);
        QVERIFY(d.retry);
        QVERIFY(d.delay <= milliseconds(2000));
        QCOMPARE(d.url, std::string("http://a/x"));
    }
    QCOMPARE(policy.retries(), uint64_t(51));
}

void TstRetryPolicy::backupUrlsTriedAtOnceThenBackoff() {
    RetryPolicy policy(RetryConfig::live(), {"http://main/x", "http://backup/x"});
    const Status down(ErrorCode::Unavailable, "refused");
    QCOMPARE(policy.currentUrl(), std::string("http://main/x"));
    auto toBackup = policy.onFailure(down);
    QCOMPARE(toBackup.url, std::string("http://backup/x"));
    QCOMPARE(toBackup.delay.count(), int64_t(0));
    auto toMain = policy.onFailure(down);
    QCOMPARE(toMain.url, std::string("http://main/x"));
    QVERIFY(toMain.delay >= milliseconds(900));
    policy.onSuccess();
    QCOMPARE(policy.currentUrl(), std::string("http://main/x"));
}

void TstRetryPolicy::permanentFailureStops() {
    RetryPolicy policy(RetryConfig::live(), {"http://a/x", "http://b/x"});
    auto d = policy.onFailure(Status(ErrorCode::PermissionDenied, "401"));
    QVERIFY(!d.retry);
    QCOMPARE(policy.retries(), uint64_t(0));
}

void TstRetryPolicy::successResetsBackoff() {
    RetryPolicy policy(RetryConfig{}, {"http://a/x"});
    const Status down(ErrorCode::Unavailable, "refused");
    for (int i = 0; i < 6; ++i) {
        (void)policy.onFailure(down);
    }
    policy.onSuccess();
    auto d = policy.onFailure(down);
    QVERIFY(d.delay <= milliseconds(1100));
}

QTEST_GUILESS_MAIN(TstRetryPolicy)
#include "tst_retry_policy.moc"
