// Overview: every field of the sandbox (GET /api/sandbox/{id}), each one selectable, in groups.
#pragma once

#include "ui/pages/sandboxes/detail/DetailTab.h"

#include <QJsonObject>
#include <QMap>

class QFormLayout;
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

protected:
    void sandboxChanged() override;

private:
    QLabel* addField(QFormLayout* form, const QString& key, const QString& label);
    void show(const QJsonObject& s);

    QLabel* m_message;
    QMap<QString, QLabel*> m_fields;
    QJsonObject m_sandbox;
    bool m_loading = false;
};

} // namespace cove::ui::detail
