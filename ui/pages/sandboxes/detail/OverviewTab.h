// Overview: every field of the sandbox (GET /api/sandbox/{id}), each one selectable, in groups.
#pragma once

#include "ui/pages/sandboxes/detail/DetailTab.h"

#include <QJsonObject>
#include <QMap>

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

    QLabel* m_message;
    QMap<QString, QLabel*> m_fields;
    QList<QGroupBox*> m_groups;
    QJsonObject m_sandbox;
    bool m_loading = false;
};

} // namespace cove::ui::detail
