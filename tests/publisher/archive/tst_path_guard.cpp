#include <QtTest>

#include "publisher/archive/path_guard.h"

using namespace podium::publisher;

class TstPathGuard : public QObject {
    Q_OBJECT

private slots:
    void isInside_data();
    void isInside();
    void safeComponent_data();
    void safeComponent();
};

void TstPathGuard::isInside_data() {
    QTest::addColumn<QString>("root");
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("inside");
    QTest::newRow("relative file") << "/srv/archive"
                                   << "720p/seg_1.m4s" << true;
    QTest::newRow("the root itself") << "/srv/archive"
                                     << "" << true;
    QTest::newRow("absolute inside") << "/srv/archive"
                                     << "/srv/archive/720p/init.mp4" << true;
    QTest::newRow("dot segments that stay inside") << "/srv/archive"
                                                   << "720p/./../audio/x" << true;
    QTest::newRow("root with trailing slash") << "/srv/archive/"
                                              << "720p/index.m3u8" << true;
    QTest::newRow("parent escape") << "/srv/archive"
                                   << "../secret" << false;
    QTest::newRow("deep escape") << "/srv/archive"
                                 << "720p/../../etc/passwd" << false;
    QTest::newRow("absolute elsewhere") << "/srv/archive"
                                        << "/etc/passwd" << false;
    QTest::newRow("sibling with common prefix") << "/srv/archive"
                                                << "/srv/archive2/x" << false;
    QTest::newRow("relative root, escape") << "archive"
                                           << "../x" << false;
    QTest::newRow("relative root, inside") << "archive"
                                           << "a/b" << true;
    QTest::newRow("relative root above cwd") << "../archive"
                                             << "../../x" << false;
    QTest::newRow("empty root") << ""
                                << "x" << false;
}

void TstPathGuard::isInside() {
    QFETCH(QString, root);
    QFETCH(QString, path);
    QFETCH(bool, inside);
    QCOMPARE(podium::publisher::isInside(root.toStdString(), path.toStdString()), inside);
}

void TstPathGuard::safeComponent_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("safe");
    QTest::newRow("rendition id") << "720p" << true;
    QTest::newRow("audio") << "audio" << true;
    QTest::newRow("empty") << "" << false;
    QTest::newRow("dot") << "." << false;
    QTest::newRow("dot dot") << ".." << false;
    QTest::newRow("slash") << "a/b" << false;
}

void TstPathGuard::safeComponent() {
    QFETCH(QString, name);
    QFETCH(bool, safe);
    QCOMPARE(isSafeComponent(name.toStdString()), safe);
}

QTEST_GUILESS_MAIN(TstPathGuard)
#include "tst_path_guard.moc"
