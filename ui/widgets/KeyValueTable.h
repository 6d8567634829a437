// An editable table of key/value pairs (environment variables, labels) with Add and Remove buttons.
#pragma once

#include <QJsonObject>
#include <QWidget>

#include <functional>

class QTableWidget;

namespace cove::ui {

class KeyValueTable : public QWidget {
    Q_OBJECT
public:
    KeyValueTable(const QString& keyHeader, const QString& valueHeader, QWidget* parent = nullptr);

    void addPair(const QString& key = {}, const QString& value = {});
    // Rows with an empty key and value are left out.
    QList<QPair<QString, QString>> pairs() const;
    QJsonObject toJson() const;
    // What is wrong with the rows (a row with a value and no key, a key given twice, or what `checkKey`
    // says of a key); empty when nothing is.
    QString problem(const std::function<QString(const QString& key)>& checkKey = {}) const;
    QTableWidget* table() const { return m_table; }

private:
    QTableWidget* m_table;
};

} // namespace cove::ui
