// Preview: a port of the sandbox in an embedded browser. The page is fetched through coved's preview
// proxy (GET /api/sandbox/{id}/ports/{port}/preview-url); the sandbox's preview token travels in a header
// that a request interceptor adds to that address only, so the token never appears in the page's URL.
// "Open in browser" hands an external browser a signed URL instead, which carries its own token.
#pragma once

#include "ui/pages/sandboxes/detail/DetailTab.h"

class QComboBox;
class QLabel;
class QPushButton;
class QWebEngineProfile;
class QWebEngineView;

namespace cove::ui::detail {

class PreviewInterceptor;

class PreviewTab : public DetailTab {
    Q_OBJECT
public:
    explicit PreviewTab(app::ApiClient* client, QWidget* parent = nullptr);
    ~PreviewTab() override;

    QWebEngineView* view() const { return m_view; }
    QComboBox* ports() const { return m_port; }
    QString previewUrl() const { return m_url; }
    QString message() const;

public slots:
    // Reads the ports the sandbox listens on (for the port list); loads nothing by itself.
    void refresh() override;
    // Asks coved for the port's preview URL and loads it.
    void openPort(int port);
    void reload();
    void openInBrowser();

signals:
    void urlResolved(const QString& url);
    void externalUrlOpened(const QString& url);

protected:
    void sandboxChanged() override;
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();
    // What the view shows before a port is opened.
    void showHint();
    int chosenPort() const;

    QComboBox* m_port;
    QPushButton* m_open;
    QPushButton* m_reload;
    QPushButton* m_external;
    QLabel* m_portLabel;
    QLabel* m_message;
    QLabel* m_address;
    QWebEngineProfile* m_profile;
    PreviewInterceptor* m_interceptor;
    QWebEngineView* m_view;
    QString m_url;
    int m_loadedPort = 0;
};

} // namespace cove::ui::detail
