// An editable table of key/value pairs (environment variables, labels) with Add and Remove buttons.
#pragma once

#include <QJsonObject>
#include <QWidget>

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
    QTableWidget* table() const { return m_table; }

private:
    QTableWidget* m_table;
};

} // namespace cove::ui
