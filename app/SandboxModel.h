// The sandboxes table: one row per sandbox, keyed by id. A full load (GET /api/sandbox) and every event
// (sandbox.created, sandbox.state.updated) insert, update or remove single rows, so selection, scroll
// position and sorting survive; nothing resets the model after the first load.
#pragma once

#include "app/Sandbox.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QVector>

namespace cove::app {

// What the Last event column says, kept untranslated so that it follows a language switch.
struct SandboxEvent {
    enum class Kind { None, Listed, Created, Changed };
    Kind kind = Kind::None;
    QString from; // state names, for Changed
    QString to;   // for Listed and Changed
    bool operator==(const SandboxEvent&) const = default;
};

class SandboxModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Name, Id, State, Snapshot, Resources, Labels, LastEvent, Created, ColumnCount };
    enum Role { SandboxIdRole = Qt::UserRole + 1, StateRole, SortRole, TransitionalRole };

    // What a row keeps besides the sandbox: the fields the table sorts and filters on, read once.
    struct Entry {
        Sandbox sandbox;
        QString id;
        QString name;
        QString state; // the state's name as sent
        QString snapshot;
        QString labels; // "k=v, k2=v2"
        QString search; // lower-case name, id, state, snapshot and labels, for the text filter
        qint64 createdMs = 0;
        qint64 updatedMs = 0;
        qint64 resources = 0; // cpu, memory, disk packed so that sorting compares them in that order
        SandboxEvent lastEvent;
        qint64 lastEventMs = 0;
        // "Starting → Started", in the current language.
        QString lastEventText() const;
    };

    explicit SandboxModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // A full list: rows are updated in place by id, new ones appended in one insert, missing ones
    // removed. A row that is newer than the list (an event overtook it) is kept as it is.
    void setSandboxes(const QList<Sandbox>& items);
    void setSandboxes(const QJsonArray& items);
    // Inserts or updates the sandbox `dto`; `event` is shown in the Last event column. A DTO older than
    // the row (by updatedAt) changes nothing. Returns false when nothing changed.
    bool upsert(const Sandbox& sandbox, const SandboxEvent& event = {});
    bool upsert(const QJsonObject& dto, const SandboxEvent& event = {}) {
        return upsert(Sandbox::fromJson(dto), event);
    }
    bool remove(const QString& id);
    // sandbox.state.updated: a destroyed sandbox leaves the table.
    void applyStateChange(const QJsonObject& sandbox, const QString& oldState, const QString& newState);
    void applyCreated(const QJsonObject& sandbox);

    static QString eventText(const SandboxEvent& event);

    // Headers and cells are translated when asked for: after a language switch, views ask again.
    void retranslate();

    int rowOf(const QString& id) const { return m_index.value(id, -1); }
    const Entry& entry(int row) const { return m_rows[row]; }
    QJsonObject sandboxAt(int row) const {
        return row >= 0 && row < m_rows.size() ? m_rows[row].sandbox.json : QJsonObject();
    }
    // Every state and snapshot present, for the filter choices.
    QStringList states() const;
    QStringList snapshots() const;

signals:
    // After rows came or went, or a row's state or snapshot changed (the filter choices may change).
    void contentsChanged();

private:
    static Entry entryOf(const Sandbox& sandbox);
    // A list or a bare update keeps the event already shown unless the service records a later change.
    static void keepLastEvent(const Entry& shown, Entry& fresh);
    void reindexFrom(int row);

    QVector<Entry> m_rows;
    QHash<QString, int> m_index; // id -> row
};

} // namespace cove::app
