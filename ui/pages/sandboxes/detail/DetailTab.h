// What the sandbox detail's own tabs share: the client, the sandbox they show, and a refresh when they
// are shown, when the sandbox changes while they are visible, and on F5.
#pragma once

#include <QWidget>

namespace cove::app {
class ApiClient;
}

namespace cove::ui::detail {

class DetailTab : public QWidget {
    Q_OBJECT
public:
    DetailTab(app::ApiClient* client, QWidget* parent);

    QString sandboxId() const { return m_id; }
    void setSandbox(const QString& id);

public slots:
    virtual void refresh() = 0;

protected:
    // The sandbox changed: forget what belonged to the previous one.
    virtual void sandboxChanged() {}
    void showEvent(QShowEvent* e) override;
    // "/toolbox/{id}<rest>"
    QString toolboxPath(const QString& rest) const;

    app::ApiClient* m_client;
    QString m_id;
};

} // namespace cove::ui::detail
