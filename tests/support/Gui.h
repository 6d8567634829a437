// Small helpers the GUI tests share.
#pragma once

#include "app/ApiClient.h"
#include "support/CovedProcess.h"

#include <QAbstractButton>
#include <QApplication>
#include <QCryptographicHash>
#include <QMessageBox>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

namespace cove::test {

// Answers the next confirmation box with `button`, once it is shown.
inline void answerNextQuestion(QObject* context, QMessageBox::StandardButton button) {
    QTimer::singleShot(0, context, [button] {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        QVERIFY(box);
        box->button(button)->click();
    });
}

// The app's settings go to `dir` for the test's run, never to the user's.
inline void useSettingsIn(const QTemporaryDir& dir) {
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir.path());
}

// Starts `coved` without a warm pool and points `client` at it with the admin key.
inline bool startCovedFor(CovedProcess& coved, app::ApiClient& client) {
    if (!coved.start({QStringLiteral("--warm-pool"), QStringLiteral("0")}))
        return false;
    client.setTarget({coved.url(), coved.adminKey(), QStringLiteral("test")});
    return true;
}

inline QByteArray sha256(const QByteArray& data) {
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
}

} // namespace cove::test
