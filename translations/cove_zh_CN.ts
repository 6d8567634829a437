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
    <name>cove::ui::ApiKeysPage</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>密钥</translation>
    </message>
    <message>
        <source>Permissions</source>
        <translation>权限</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>Last used</source>
        <translation>最近使用</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>过期</translation>
    </message>
    <message>
        <source>never</source>
        <translation>永不</translation>
    </message>
    <message>
        <source>&amp;Revoke…</source>
        <translation>吊销(&amp;R)…</translation>
    </message>
    <message>
        <source>API Keys</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>Keys let scripts and agents use this service with the Daytona SDKs (DAYTONA_API_KEY). A key&apos;s value is shown once, when it is made.</source>
        <translation>密钥让脚本和智能体通过 Daytona SDK（DAYTONA_API_KEY）使用本服务。密钥的值只在创建时显示一次。</translation>
    </message>
    <message>
        <source>&amp;Create key…</source>
        <translation>创建密钥(&amp;C)…</translation>
    </message>
    <message>
        <source>API keys</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>API key created</source>
        <translation>已创建 API 密钥</translation>
    </message>
    <message>
        <source>Copy the key &quot;%1&quot; now. It will not be shown again.</source>
        <translation>请现在复制密钥“%1”，之后不会再显示。</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <source>Revoke API key</source>
        <translation>吊销 API 密钥</translation>
    </message>
    <message>
        <source>Revoke the key &quot;%1&quot;? Scripts and agents using it stop working at once.</source>
        <translation>吊销密钥“%1”？使用它的脚本和智能体将立即停止工作。</translation>
    </message>
    <message numerus="yes">
        <source>all (%n scopes)</source>
        <translation>
            <numerusform>全部（%n 项权限）</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>cove::ui::AuditLogPage</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Actor</source>
        <translation>操作者</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Success</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Load &amp;more</source>
        <translation>加载更多(&amp;M)</translation>
    </message>
    <message>
        <source>Audit Logs</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <source>All actions</source>
        <translation>全部操作</translation>
    </message>
    <message>
        <source>All outcomes</source>
        <translation>全部结果</translation>
    </message>
    <message>
        <source>Target ID</source>
        <translation>对象 ID</translation>
    </message>
    <message>
        <source>&amp;Export CSV…</source>
        <translation>导出 CSV(&amp;E)…</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <source>%1 of %2 entries</source>
        <translation>%1 / %2 条记录</translation>
    </message>
    <message>
        <source>Export audit log</source>
        <translation>导出审计日志</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Exported to %1.</source>
        <translation>已导出到 %1。</translation>
    </message>
</context>
<context>
    <name>cove::ui::CreateKeyDialog</name>
    <message>
        <source>Create, start, stop and change sandboxes</source>
        <translation>创建、启动、停止和修改沙箱</translation>
    </message>
    <message>
        <source>Delete sandboxes</source>
        <translation>删除沙箱</translation>
    </message>
    <message>
        <source>Create snapshots</source>
        <translation>创建快照</translation>
    </message>
    <message>
        <source>Delete snapshots</source>
        <translation>删除快照</translation>
    </message>
    <message>
        <source>Read volumes</source>
        <translation>读取存储卷</translation>
    </message>
    <message>
        <source>Create volumes</source>
        <translation>创建存储卷</translation>
    </message>
    <message>
        <source>Delete volumes</source>
        <translation>删除存储卷</translation>
    </message>
    <message>
        <source>Read the audit log</source>
        <translation>读取审计日志</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>过期</translation>
    </message>
    <message>
        <source>Create API key</source>
        <translation>创建 API 密钥</translation>
    </message>
    <message>
        <source>e.g. ci-agent</source>
        <translation>例如 ci-agent</translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation>名称(&amp;N)</translation>
    </message>
    <message>
        <source>Permissions (grant only what the key needs)</source>
        <translation>权限（只授予密钥所需的权限）</translation>
    </message>
    <message>
        <source>Expiry</source>
        <translation>有效期</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>创建</translation>
    </message>
</context>
<context>
    <name>cove::ui::CreateSnapshotDialog</name>
    <message>
        <source>From an &amp;image</source>
        <translation>从镜像(&amp;I)</translation>
    </message>
    <message>
        <source>From a &amp;Dockerfile</source>
        <translation>从 Dockerfile(&amp;D)</translation>
    </message>
    <message>
        <source>Create snapshot</source>
        <translation>创建快照</translation>
    </message>
    <message>
        <source>e.g. python-ml</source>
        <translation>例如 python-ml</translation>
    </message>
    <message>
        <source>e.g. python:3.12-slim</source>
        <translation>例如 python:3.12-slim</translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation>名称(&amp;N)</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>创建</translation>
    </message>
</context>
<context>
    <name>cove::ui::CreateVolumeDialog</name>
    <message>
        <source>Create volume</source>
        <translation>创建存储卷</translation>
    </message>
    <message>
        <source>e.g. datasets</source>
        <translation>例如 datasets</translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation>名称(&amp;N)</translation>
    </message>
    <message>
        <source>Sandboxes mount a volume by name or ID; its files outlive them.</source>
        <translation>沙箱按名称或 ID 挂载存储卷；卷中的文件在沙箱删除后仍然保留。</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>创建</translation>
    </message>
</context>
<context>
    <name>cove::ui::JsonTableModel</name>
    <message numerus="yes">
        <source>in %n min</source>
        <translation>
            <numerusform>%n 分钟后</numerusform>
        </translation>
    </message>
    <message>
        <source>just now</source>
        <translation>刚刚</translation>
    </message>
    <message numerus="yes">
        <source>%n min ago</source>
        <translation>
            <numerusform>%n 分钟前</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h ago</source>
        <translation>
            <numerusform>%n 小时前</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n days ago</source>
        <translation>
            <numerusform>%n 天前</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>cove::ui::LimitsPage</name>
    <message>
        <source>Change tier</source>
        <translation>更改等级</translation>
    </message>
    <message>
        <source>vCPU in use</source>
        <translation>已用 vCPU</translation>
    </message>
    <message>
        <source>Memory in use</source>
        <translation>已用内存</translation>
    </message>
    <message>
        <source>Disk in use</source>
        <translation>已用磁盘</translation>
    </message>
    <message>
        <source>Limits</source>
        <translation>限额</translation>
    </message>
    <message>
        <source>Tier %1</source>
        <translation>等级 %1</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Needs the admin key. Running sandboxes keep running; new limits apply to what starts next.</source>
        <translation>需要管理员密钥。运行中的沙箱继续运行；新限额对之后启动的沙箱生效。</translation>
    </message>
    <message>
        <source>Current usage</source>
        <translation>当前用量</translation>
    </message>
    <message>
        <source>vCPU</source>
        <translation>vCPU</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <source>Disk</source>
        <translation>磁盘</translation>
    </message>
    <message>
        <source>Running sandboxes hold CPU, memory and disk; stopped ones only disk; archived ones nothing.</source>
        <translation>运行中的沙箱占用 CPU、内存和磁盘；已停止的只占用磁盘；已归档的不占用。</translation>
    </message>
    <message>
        <source>Sandbox and rate limits</source>
        <translation>沙箱与速率限制</translation>
    </message>
    <message>
        <source>Usage, last 24 hours</source>
        <translation>过去 24 小时用量</translation>
    </message>
    <message>
        <source>Rate limits per API key: %1 requests, %2 sandbox creations and %3 start/stop/archive/delete calls per minute.</source>
        <translation>每个 API 密钥的速率限制：每分钟 %1 次请求、%2 次沙箱创建、%3 次启动/停止/归档/删除。</translation>
    </message>
    <message>
        <source>Custom quota</source>
        <translation>自定义配额</translation>
    </message>
    <message>
        <source>%1 of %2 vCPU</source>
        <translation>%1 / %2 vCPU</translation>
    </message>
    <message>
        <source>%1 of %2 GiB</source>
        <translation>%1 / %2 GiB</translation>
    </message>
    <message numerus="yes">
        <source>%n sandbox(es) running</source>
        <translation>
            <numerusform>%n 个沙箱运行中</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n in all</source>
        <translation>
            <numerusform>共 %n 个</numerusform>
        </translation>
    </message>
    <message>
        <source>Each sandbox: up to %1 vCPU, %2 GiB of memory and %3 GiB of disk.</source>
        <translation>每个沙箱最多 %1 vCPU、%2 GiB 内存和 %3 GiB 磁盘。</translation>
    </message>
    <message>
        <source>Memory (GiB)</source>
        <translation>内存 (GiB)</translation>
    </message>
    <message>
        <source>Disk (GiB)</source>
        <translation>磁盘 (GiB)</translation>
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
        <source>Volumes</source>
        <translation>存储卷</translation>
    </message>
    <message>
        <source>API Keys</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>Limits</source>
        <translation>限额</translation>
    </message>
    <message>
        <source>Audit Logs</source>
        <translation>审计日志</translation>
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
    <message>
        <source>The Docker engine&apos;s storage driver cannot limit a container&apos;s disk, so the size is recorded but not enforced. The engine Cove&apos;s setup starts (on btrfs) enforces it.</source>
        <translation>Docker 引擎的存储驱动无法限制容器的磁盘大小，因此该大小只被记录而不会被强制执行。Cove 安装脚本启动的引擎（基于 btrfs）会强制执行它。</translation>
    </message>
    <message>
        <source>%1 vCPU · %2 GiB · %3 GiB disk (not enforced)</source>
        <translation>%1 vCPU · %2 GiB · %3 GiB 磁盘（未强制）</translation>
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
    <name>cove::ui::SnapshotsPage</name>
    <message>
        <source>Active</source>
        <translation>可用</translation>
    </message>
    <message>
        <source>Inactive</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>Pulling</source>
        <translation>拉取中</translation>
    </message>
    <message>
        <source>Building</source>
        <translation>构建中</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Build failed</source>
        <translation>构建失败</translation>
    </message>
    <message>
        <source>Removing</source>
        <translation>删除中</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>镜像</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Resources</source>
        <translation>资源</translation>
    </message>
    <message>
        <source>%1 vCPU · %2 GiB · %3 GiB</source>
        <translation>%1 vCPU · %2 GiB · %3 GiB</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>Snapshots</source>
        <translation>快照</translation>
    </message>
    <message>
        <source>&amp;Activate</source>
        <translation>启用(&amp;A)</translation>
    </message>
    <message>
        <source>De&amp;activate</source>
        <translation>停用(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>删除(&amp;D)…</translation>
    </message>
    <message>
        <source>Build &amp;log</source>
        <translation>构建日志(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Create snapshot…</source>
        <translation>创建快照(&amp;C)…</translation>
    </message>
    <message>
        <source>Snapshots are the images sandboxes start from. The defaults cove-base and cove-desktop are ready to use; an inactive snapshot cannot start new sandboxes.</source>
        <translation>快照是沙箱启动所用的镜像。默认快照 cove-base 和 cove-desktop 可直接使用；已停用的快照不能启动新的沙箱。</translation>
    </message>
    <message>
        <source>The snapshot was not created: %1</source>
        <translation>快照未创建：%1</translation>
    </message>
    <message>
        <source>Delete snapshot</source>
        <translation>删除快照</translation>
    </message>
    <message>
        <source>Delete the snapshot &quot;%1&quot;? Sandboxes can no longer be made from it.</source>
        <translation>删除快照“%1”？之后将不能再用它创建沙箱。</translation>
    </message>
    <message>
        <source>The snapshot &quot;%1&quot; was not deleted: %2</source>
        <translation>快照“%1”未删除：%2</translation>
    </message>
    <message>
        <source>Build log of &quot;%1&quot;</source>
        <translation>“%1”的构建日志</translation>
    </message>
    <message>
        <source>This snapshot has no build log: it was not built here.</source>
        <translation>该快照没有构建日志：它不是在这里构建的。</translation>
    </message>
    <message>
        <source>Building the default snapshot &quot;%1&quot; (the first start takes a few minutes; sandboxes of it can be made once it is active)</source>
        <translation>正在构建默认快照“%1”（首次启动需要几分钟；构建完成并变为可用后即可用它创建沙箱）</translation>
    </message>
    <message>
        <source>Building the snapshot &quot;%1&quot;</source>
        <translation>正在构建快照“%1”</translation>
    </message>
</context>
<context>
    <name>cove::ui::VolumesPage</name>
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
        <source>Used</source>
        <translation>已用空间</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>Last used</source>
        <translation>最近使用</translation>
    </message>
    <message>
        <source>Volumes</source>
        <translation>存储卷</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>删除(&amp;D)…</translation>
    </message>
    <message>
        <source>&amp;Create volume…</source>
        <translation>创建存储卷(&amp;C)…</translation>
    </message>
    <message>
        <source>Volumes keep files beyond the life of a sandbox. A volume in use by a sandbox cannot be deleted until that sandbox is gone.</source>
        <translation>存储卷中的文件在沙箱删除后仍然保留。被沙箱使用的存储卷要等该沙箱删除后才能删除。</translation>
    </message>
    <message>
        <source>The volume was not created: %1</source>
        <translation>存储卷未创建：%1</translation>
    </message>
    <message>
        <source>Delete volume</source>
        <translation>删除存储卷</translation>
    </message>
    <message>
        <source>Delete the volume &quot;%1&quot; and every file in it? This cannot be undone.</source>
        <translation>删除存储卷“%1”及其中的所有文件？此操作无法撤销。</translation>
    </message>
    <message>
        <source>The volume &quot;%1&quot; was not deleted: %2</source>
        <translation>存储卷“%1”未删除：%2</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Deleting</source>
        <translation>删除中</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>已删除</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Address of the Cove service (COVE_URL).</source>
        <translation>Cove 服务的地址（COVE_URL）。</translation>
    </message>
    <message>
        <source>File holding the API key (else COVE_API_KEY).</source>
        <translation>存放 API 密钥的文件（否则使用 COVE_API_KEY）。</translation>
    </message>
    <message>
        <source>Dashboard for Cove, the local service that runs sandboxes for AI agents.

With no options it connects to http://127.0.0.1:3986 with the admin key in $XDG_DATA_HOME/cove/admin.key or, when that is missing, /var/lib/cove/admin.key (readable by the cove group; join it with: sudo adduser $USER cove).</source>
        <translation>Cove 仪表盘：Cove 是在本机为 AI 智能体运行沙箱的服务。

不带选项时，它连接 http://127.0.0.1:3986，使用 $XDG_DATA_HOME/cove/admin.key 中的管理密钥；若该文件不存在，则使用 /var/lib/cove/admin.key（cove 组的成员可读；加入该组：sudo adduser $USER cove）。</translation>
    </message>
</context>
</TS>
