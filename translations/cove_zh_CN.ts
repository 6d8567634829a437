<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>cove::app::ApiClient</name>
    <message>
        <source>Cannot reach the Cove service at %1 (%2). Start it with &quot;installer/setup.sh run&quot; or change the address in Settings.</source>
        <translation>无法连接到 %1 上的 Cove 服务（%2）。请用 &quot;installer/setup.sh run&quot; 启动它，或在“设置”中修改地址。</translation>
    </message>
    <message>
        <source>The service refused the API key (%1). Check the key in Settings.</source>
        <translation>服务拒绝了该 API 密钥（%1）。请在“设置”中检查密钥。</translation>
    </message>
    <message>
        <source>The service answered %1 to %2.</source>
        <translation>服务对 %2 返回了 %1。</translation>
    </message>
</context>
<context>
    <name>cove::ui::MainWindow</name>
    <message>
        <source>Cove</source>
        <translation>Cove</translation>
    </message>
    <message>
        <source>Sandboxes</source>
        <translation>沙箱</translation>
    </message>
    <message>
        <source>Snapshots</source>
        <translation>快照</translation>
    </message>
    <message>
        <source>Snapshots are the images sandboxes start from. The defaults cove-base and cove-desktop are ready to use.</source>
        <translation>快照是沙箱启动所用的镜像。默认快照 cove-base 和 cove-desktop 可直接使用。</translation>
    </message>
    <message>
        <source>Volumes</source>
        <translation>存储卷</translation>
    </message>
    <message>
        <source>Volumes keep files beyond the life of a sandbox.</source>
        <translation>存储卷在沙箱删除后仍保留文件。</translation>
    </message>
    <message>
        <source>API Keys</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>Keys let scripts and agents use this service. The dashboard uses the local admin key.</source>
        <translation>密钥让脚本和智能体使用此服务。仪表盘使用本机的管理员密钥。</translation>
    </message>
    <message>
        <source>Limits</source>
        <translation>限额</translation>
    </message>
    <message>
        <source>Your tier&apos;s CPU, memory and disk quotas.</source>
        <translation>您所在等级的 CPU、内存和磁盘配额。</translation>
    </message>
    <message>
        <source>Audit Logs</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <source>Every change and every refused key, newest first.</source>
        <translation>每一次更改和每一次被拒绝的密钥，最新的在前。</translation>
    </message>
    <message>
        <source>Playground</source>
        <translation>演练场</translation>
    </message>
    <message>
        <source>Try sandboxes without writing code: run commands and code, open a terminal or a desktop.</source>
        <translation>无需编写代码即可试用沙箱：运行命令和代码，打开终端或桌面。</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>页面</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>Re&amp;connect</source>
        <translation>重新连接(&amp;C)</translation>
    </message>
    <message>
        <source>Connected to %1</source>
        <translation>已连接到 %1</translation>
    </message>
    <message>
        <source>Docker %1</source>
        <translation>Docker %1</translation>
    </message>
    <message>
        <source>Not connected: %1</source>
        <translation>未连接：%1</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>正在连接 %1…</translation>
    </message>
</context>
<context>
    <name>cove::ui::SandboxModel</name>
    <message>
        <source>Creating</source>
        <translation>创建中</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>Starting</source>
        <translation>启动中</translation>
    </message>
    <message>
        <source>Stopping</source>
        <translation>停止中</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Archiving</source>
        <translation>归档中</translation>
    </message>
    <message>
        <source>Archived</source>
        <translation>已归档</translation>
    </message>
    <message>
        <source>Deleting</source>
        <translation>删除中</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Restoring</source>
        <translation>恢复中</translation>
    </message>
    <message>
        <source>Build failed</source>
        <translation>构建失败</translation>
    </message>
    <message>
        <source>%1 vCPU · %2 GiB · %3 GiB disk</source>
        <translation>%1 vCPU · %2 GiB · %3 GiB 磁盘</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Snapshot</source>
        <translation>快照</translation>
    </message>
    <message>
        <source>Resources</source>
        <translation>资源</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
</context>
<context>
    <name>cove::ui::SandboxesPage</name>
    <message>
        <source>Sandboxes</source>
        <translation>沙箱</translation>
    </message>
    <message>
        <source>Filter by name, ID, state, snapshot or label</source>
        <translation>按名称、ID、状态、快照或标签筛选</translation>
    </message>
    <message>
        <source>No sandboxes yet. Create one with the Daytona SDK or: curl -X POST -H &quot;Authorization: Bearer $KEY&quot; %1/api/sandbox -d &apos;{}&apos;</source>
        <translation>还没有沙箱。可用 Daytona SDK 创建，或执行：curl -X POST -H &quot;Authorization: Bearer $KEY&quot; %1/api/sandbox -d &apos;{}&apos;</translation>
    </message>
</context>
<context>
    <name>cove::ui::SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Local service (%1)</source>
        <translation>本机服务（%1）</translation>
    </message>
    <message>
        <source>The local service&apos;s admin key</source>
        <translation>本机服务的管理员密钥</translation>
    </message>
    <message>
        <source>Service &amp;URL:</source>
        <translation>服务地址(&amp;U)：</translation>
    </message>
    <message>
        <source>API &amp;key:</source>
        <translation>API 密钥(&amp;K)：</translation>
    </message>
    <message>
        <source>Leave both empty to use the Cove service on this computer.</source>
        <translation>两项都留空即使用本机上的 Cove 服务。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an http:// or https:// address, e.g. http://127.0.0.1:3986.</source>
        <translation>“%1”不是 http:// 或 https:// 地址，例如 http://127.0.0.1:3986。</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Dashboard for Cove, the local service that runs sandboxes for AI agents.</source>
        <translation>Cove 仪表盘：Cove 是在本机为 AI 智能体运行沙箱的服务。</translation>
    </message>
    <message>
        <source>Address of the Cove service (COVE_URL).</source>
        <translation>Cove 服务的地址（COVE_URL）。</translation>
    </message>
    <message>
        <source>File holding the API key (else COVE_API_KEY).</source>
        <translation>存放 API 密钥的文件（否则使用 COVE_API_KEY）。</translation>
    </message>
</context>
</TS>
