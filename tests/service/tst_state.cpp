// The state clients see is derived from actual and desired state exactly as Daytona derives it.
#include "service/domain/SandboxRow.h"

#include <QtTest>

class TestState : public QObject {
    Q_OBJECT
private slots:
    void derivesLikeDaytona_data() {
        QTest::addColumn<QString>("state");
        QTest::addColumn<QString>("desired");
        QTest::addColumn<QString>("shown");
        QTest::newRow("settled") << "started"
                                 << "started"
                                 << "started";
        QTest::newRow("stopping") << "started"
                                  << "stopped"
                                  << "stopping";
        QTest::newRow("destroying running") << "started"
                                            << "destroyed"
                                            << "destroying";
        QTest::newRow("destroying stopped") << "stopped"
                                            << "destroyed"
                                            << "destroying";
        QTest::newRow("starting") << "stopped"
                                  << "started"
                                  << "starting";
        QTest::newRow("archiving") << "stopped"
                                   << "archived"
                                   << "archiving";
        QTest::newRow("restoring") << "archived"
                                   << "started"
                                   << "restoring";
        QTest::newRow("creating") << "creating"
                                  << "started"
                                  << "creating";
        QTest::newRow("unknown creating") << "unknown"
                                          << "started"
                                          << "creating";
        QTest::newRow("error stays") << "error"
                                     << "started"
                                     << "error";
        QTest::newRow("error while deleting") << "error"
                                              << "destroyed"
                                              << "error";
        QTest::newRow("build failed stays") << "build_failed"
                                            << "started"
                                            << "build_failed";
        QTest::newRow("destroyed") << "destroyed"
                                   << "destroyed"
                                   << "destroyed";
    }
    void derivesLikeDaytona() {
        QFETCH(QString, state);
        QFETCH(QString, desired);
        QFETCH(QString, shown);
        QCOMPARE(QString::fromLatin1(cove::domain::toString(cove::domain::reportedState(
                     *cove::store::sandboxStateFromString(state.toStdString()),
                     *cove::store::sandboxStateFromString(desired.toStdString())))),
                 shown);
    }
};

QTEST_APPLESS_MAIN(TestState)
#include "tst_state.moc"
