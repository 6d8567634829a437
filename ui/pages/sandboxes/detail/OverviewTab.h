// Overview: every field of the sandbox (GET /api/sandbox/{id}), each one selectable, in groups, and its
// lineage: the sandboxes it was forked from and the ones forked from it, as links that open them.
#pragma once

#include "app/Sandbox.h"
#include "app/SandboxesApi.h"
#include "ui/pages/sandboxes/detail/DetailTab.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>

#include <optional>
#include <span>

class QFormLayout;
class QGroupBox;
class QLabel;

namespace cove::ui::detail {

class OverviewTab : public DetailTab {
    Q_OBJECT
public:
    explicit OverviewTab(app::ApiClient* client, QWidget* parent = nullptr);

    // The text shown for a DTO field ("state", "cpu", "labels", ...); empty when the field has no row.
    QString fieldText(const QString& key) const;
    QJsonObject sandbox() const { return m_sandbox; }

public slots:
    void refresh() override;

signals:
    // The sandbox as last read, for the header above the tabs.
    void loaded(const QJsonObject& sandbox);
    // A sandbox of the lineage was clicked.
    void openSandbox(const QString& id);

protected:
    void sandboxChanged() override;
    void changeEvent(QEvent* event) override;

private:
    // A group starts at each row with a group title; the label names the field's row.
    struct Row {
        const char* group;
        const char* key;
        const char* label;
    };
    static std::span<const Row> rows();
    void retranslateUi();
    void addField(QFormLayout* form, const QString& key);
    // Fills the fields, in the language of the day, and tells the header.
    void show(const QJsonObject& s);
    void loadLineage(const QString& id, bool isFork);
    // The secrets the sandbox uses (GET /api/sandbox/{id}/secrets); shown as "unavailable" when the
    // service cannot say.
    void loadSecrets(const QString& id);
    QString secretsLine() const;
    void showLineage();

    QLabel* m_message;
    QMap<QString, QLabel*> m_fields;
    QList<QGroupBox*> m_groups;
    QJsonObject m_sandbox;
    bool m_loading = false;
    bool m_readAgain = false;
    app::SandboxesApi m_api;
    // The lineage as last read; an error instead when the service could not say.
    std::optional<app::Result<QList<app::Sandbox>>> m_ancestors;
    std::optional<app::Result<QList<app::Sandbox>>> m_forks;
    // Nothing while unread; then the answer, or nothing in it when the service could not say.
    std::optional<std::optional<QJsonDocument>> m_secrets;
};

} // namespace cove::ui::detail
