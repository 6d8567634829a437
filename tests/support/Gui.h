// Small helpers the GUI tests share.
#pragma once

#include <QAbstractButton>
#include <QApplication>
#include <QCryptographicHash>
#include <QMessageBox>
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

inline QByteArray sha256(const QByteArray& data) {
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
}

} // namespace cove::test
