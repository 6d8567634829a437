<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>RelativeTime</name>
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
    <name>SandboxState</name>
    <message>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Creating</source>
        <translation>创建中</translation>
    </message>
    <message>
        <source>Restoring</source>
        <translation>恢复中</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>已删除</translation>
    </message>
    <message>
        <source>Deleting</source>
        <translation>删除中</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
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
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Build failed</source>
        <translation>构建失败</translation>
    </message>
    <message>
        <source>Waiting for build</source>
        <translation>等待构建</translation>
    </message>
    <message>
        <source>Building snapshot</source>
        <translation>正在构建快照</translation>
    </message>
    <message>
        <source>Pulling snapshot</source>
        <translation>正在拉取快照</translation>
    </message>
    <message>
        <source>Archived</source>
        <translation>已归档</translation>
    </message>
    <message>
        <source>Archiving</source>
        <translation>归档中</translation>
    </message>
    <message>
        <source>Resizing</source>
        <translation>调整大小中</translation>
    </message>
    <message>
        <source>Snapshotting</source>
        <translation>正在制作快照</translation>
    </message>
    <message>
        <source>Forking</source>
        <translation>正在派生</translation>
    </message>
    <message>
        <source>Pausing</source>
        <translation>暂停中</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Resuming</source>
        <translation>继续运行中</translation>
    </message>
</context>
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
    <message>
        <source>The answer is longer than %1 MiB.</source>
        <translation>回复超过了 %1 MiB。</translation>
    </message>
</context>
<context>
    <name>cove::app::ApiKeyModel</name>
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
    <message numerus="yes">
        <source>all (%n scopes)</source>
        <translation>
            <numerusform>全部（%n 项权限）</numerusform>
        </translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>never</source>
        <translation>永不</translation>
    </message>
</context>
<context>
    <name>cove::app::AuditLogModel</name>
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
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Success</source>
        <translation>成功</translation>
    </message>
</context>
<context>
    <name>cove::app::EventClient</name>
    <message>
        <source>The Cove service stopped answering on the event channel.</source>
        <translation>Cove 服务在事件通道上不再响应。</translation>
    </message>
    <message>
        <source>The service refused the API key on the event channel (%1). Check the key in Settings.</source>
        <translation>服务在事件通道上拒绝了该 API 密钥（%1）。请在“设置”中检查密钥。</translation>
    </message>
    <message>
        <source>the connection closed</source>
        <translation>连接已关闭</translation>
    </message>
    <message>
        <source>Lost the event channel to the Cove service at %1 (%2).</source>
        <translation>与 %1 上 Cove 服务的事件通道已断开（%2）。</translation>
    </message>
</context>
<context>
    <name>cove::app::LimitsApi</name>
    <message>
        <source>The service lists no organization.</source>
        <translation>服务没有列出任何组织。</translation>
    </message>
</context>
<context>
    <name>cove::app::LocalService</name>
    <message>
        <source>The service at %1 runs on another computer; start it there.</source>
        <translation>%1 上的服务运行在另一台计算机上，请在那里启动它。</translation>
    </message>
    <message>
        <source>Start it with &quot;sudo systemctl start coved&quot; (installed package) or &quot;installer/setup.sh run&quot; (source tree).</source>
        <translation>请用 &quot;sudo systemctl start coved&quot;（已安装的软件包）或 &quot;installer/setup.sh run&quot;（源码目录）启动它。</translation>
    </message>
    <message>
        <source>Could not run %1: %2</source>
        <translation>无法运行 %1：%2</translation>
    </message>
</context>
<context>
    <name>cove::app::RegistryModel</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Project</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>%1 (default)</source>
        <translation>%1(默认)</translation>
    </message>
    <message>
        <source>The registry `daytona snapshot push` is given.</source>
        <translation>`daytona snapshot push` 使用的镜像仓库。</translation>
    </message>
    <message>
        <source>(all)</source>
        <translation>(全部)</translation>
    </message>
</context>
<context>
    <name>cove::app::SandboxModel</name>
    <message>
        <source>→ %1</source>
        <translation>→ %1</translation>
    </message>
    <message>
        <source>The Docker engine&apos;s storage driver cannot limit a container&apos;s disk, so the size is recorded but not enforced. The engine Cove&apos;s setup starts (on btrfs) enforces it.</source>
        <translation>Docker 引擎的存储驱动无法限制容器的磁盘大小，因此该大小只被记录而不会被强制执行。Cove 安装脚本启动的引擎（基于 btrfs）会强制执行它。</translation>
    </message>
    <message>
        <source>%1 vCPU · %2 GiB · %3 GiB disk</source>
        <translation>%1 vCPU · %2 GiB · %3 GiB 磁盘</translation>
    </message>
    <message>
        <source>%1 vCPU · %2 GiB · %3 GiB disk (not enforced)</source>
        <translation>%1 vCPU · %2 GiB · %3 GiB 磁盘（未强制）</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1，%2</translation>
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
        <source>Last event</source>
        <translation>最近事件</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
</context>
<context>
    <name>cove::app::SecretModel</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Hosts</source>
        <translation>主机</translation>
    </message>
    <message>
        <source>Placeholder</source>
        <translation>占位符</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>更新时间</translation>
    </message>
    <message>
        <source>Mounted by %1</source>
        <translation>已由 %1 挂载</translation>
    </message>
    <message>
        <source>(none: never sent)</source>
        <translation>(无:从不发送)</translation>
    </message>
</context>
<context>
    <name>cove::app::SnapshotModel</name>
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
        <source>%1 vCPU · %2 GiB · %3 GiB</source>
        <translation>%1 vCPU · %2 GiB · %3 GiB</translation>
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
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
</context>
<context>
    <name>cove::app::Transfer</name>
    <message>
        <source>Cannot read %1 (%2). Check that the file exists and that you may read it.</source>
        <translation>无法读取 %1（%2）。请检查文件是否存在以及您是否有读取权限。</translation>
    </message>
    <message>
        <source>Cannot write %1 (%2). Choose a folder you may write to.</source>
        <translation>无法写入 %1（%2）。请选择一个您有写入权限的文件夹。</translation>
    </message>
    <message>
        <source>Writing %1 failed (%2). Check the free space there.</source>
        <translation>写入 %1 失败（%2）。请检查该处的剩余空间。</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <source>Saving %1 failed (%2). Check the free space there.</source>
        <translation>保存 %1 失败（%2）。请检查该处的剩余空间。</translation>
    </message>
</context>
<context>
    <name>cove::app::VolumeModel</name>
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
</context>
<context>
    <name>cove::ui::ApiKeysPage</name>
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
</context>
<context>
    <name>cove::ui::AuditLogPage</name>
    <message>
        <source>Action</source>
        <translation>操作</translation>
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
    <message>
        <source>&amp;Live</source>
        <translation>实时(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>导出(&amp;E)…</translation>
    </message>
    <message>
        <source>As &amp;CSV…</source>
        <translation>CSV 格式(&amp;C)…</translation>
    </message>
    <message>
        <source>As &amp;JSON…</source>
        <translation>JSON 格式(&amp;J)…</translation>
    </message>
    <message>
        <source>Show new entries as they happen</source>
        <translation>新记录产生时立即显示</translation>
    </message>
    <message>
        <source>Double-click or press Enter for the whole entry</source>
        <translation>双击或按回车查看完整记录</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>JSON 文件 (*.json)</translation>
    </message>
    <message>
        <source>Audit entry</source>
        <translation>审计记录</translation>
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
    <message>
        <source>Everything</source>
        <translation>全部权限</translation>
    </message>
    <message>
        <source>An agent&apos;s sandboxes (create, use, delete)</source>
        <translation>智能体的沙箱（创建、使用、删除）</translation>
    </message>
    <message>
        <source>Read only</source>
        <translation>只读</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source>&amp;Preset</source>
        <translation>预设(&amp;P)</translation>
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
        <source>Audit Logs</source>
        <translation>审计日志</translation>
    </message>
</context>
<context>
    <name>cove::ui::CreateSandboxDialog</name>
    <message>
        <source>S&amp;napshot</source>
        <translation>快照(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Image</source>
        <translation>镜像(&amp;I)</translation>
    </message>
    <message>
        <source> vCPU</source>
        <translation> vCPU</translation>
    </message>
    <message>
        <source> GiB</source>
        <translation> GiB</translation>
    </message>
    <message>
        <source>Variable</source>
        <translation>变量</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>标签</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>E&amp;phemeral: delete it as soon as it stops</source>
        <translation>临时(&amp;P)：停止后立即删除</translation>
    </message>
    <message>
        <source>P&amp;ublic: previews open without a token</source>
        <translation>公开(&amp;U)：预览无需令牌即可打开</translation>
    </message>
    <message>
        <source>&amp;Block all network access</source>
        <translation>阻止所有网络访问(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Create</source>
        <translation>创建(&amp;C)</translation>
    </message>
    <message>
        <source>Create sandbox</source>
        <translation>创建沙箱</translation>
    </message>
    <message>
        <source>General</source>
        <translation>常规</translation>
    </message>
    <message>
        <source>optional; the ID is used when empty</source>
        <translation>可选；留空时使用 ID</translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation>名称(&amp;N)</translation>
    </message>
    <message>
        <source>Snapshot</source>
        <translation>快照</translation>
    </message>
    <message>
        <source>e.g. python:3.12-slim (built into a snapshot first)</source>
        <translation>例如 python:3.12-slim（先构建为快照）</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>镜像</translation>
    </message>
    <message>
        <source>Resources</source>
        <translation>资源</translation>
    </message>
    <message>
        <source>&amp;CPU</source>
        <translation>CPU(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Memory</source>
        <translation>内存(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Disk</source>
        <translation>磁盘(&amp;D)</translation>
    </message>
    <message>
        <source>Reading the organization&apos;s limits…</source>
        <translation>正在读取组织的限额…</translation>
    </message>
    <message>
        <source>Lifecycle</source>
        <translation>生命周期</translation>
    </message>
    <message>
        <source>never</source>
        <translation>永不</translation>
    </message>
    <message>
        <source>as soon as it stops</source>
        <translation>停止后立即删除</translation>
    </message>
    <message>
        <source>Minutes without activity before the sandbox stops; 0 keeps it running.</source>
        <translation>沙箱无活动多少分钟后停止；0 表示一直运行。</translation>
    </message>
    <message>
        <source>Minutes stopped before the sandbox is archived (7 days by default).</source>
        <translation>沙箱停止多少分钟后归档（默认 7 天）。</translation>
    </message>
    <message>
        <source>Minutes stopped before the sandbox is deleted; -1 never, 0 as it stops.</source>
        <translation>沙箱停止多少分钟后删除；-1 表示永不，0 表示停止时立即删除。</translation>
    </message>
    <message>
        <source>Auto-s&amp;top after</source>
        <translation>自动停止(&amp;T)</translation>
    </message>
    <message>
        <source>Auto-&amp;archive after</source>
        <translation>自动归档(&amp;A)</translation>
    </message>
    <message>
        <source>Auto-d&amp;elete after</source>
        <translation>自动删除(&amp;E)</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <source>e.g. 10.0.0.0/8, 192.168.1.0/24 (up to 5)</source>
        <translation>例如 10.0.0.0/8, 192.168.1.0/24（最多 5 个）</translation>
    </message>
    <message>
        <source>Allowed networks</source>
        <translation>允许的网络</translation>
    </message>
    <message>
        <source>A&amp;llowed networks</source>
        <translation>允许的网络(&amp;L)</translation>
    </message>
    <message>
        <source>Environment variables</source>
        <translation>环境变量</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Volumes</source>
        <translation>存储卷</translation>
    </message>
    <message>
        <source>Volume</source>
        <translation>存储卷</translation>
    </message>
    <message>
        <source>Mount path</source>
        <translation>挂载路径</translation>
    </message>
    <message>
        <source>Subpath</source>
        <translation>子路径</translation>
    </message>
    <message>
        <source>Read-only</source>
        <translation>只读</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Add volume</source>
        <translation>添加存储卷</translation>
    </message>
    <message>
        <source>Remove volume</source>
        <translation>移除存储卷</translation>
    </message>
    <message>
        <source>The Cove service is not reachable (%1). Your input is kept; create the sandbox when it is back.</source>
        <translation>无法连接 Cove 服务（%1）。您的输入已保留；服务恢复后再创建沙箱。</translation>
    </message>
    <message>
        <source>Cannot list the snapshots: %1</source>
        <translation>无法列出快照：%1</translation>
    </message>
    <message>
        <source>At most %1 vCPU per sandbox</source>
        <translation>每个沙箱最多 %1 vCPU</translation>
    </message>
    <message>
        <source>At most %1 GiB per sandbox</source>
        <translation>每个沙箱最多 %1 GiB</translation>
    </message>
    <message>
        <source>Your organization allows up to %1 vCPU, %2 GiB of memory and %3 GiB of disk per sandbox (see Limits).</source>
        <translation>您的组织允许每个沙箱最多 %1 vCPU、%2 GiB 内存和 %3 GiB 磁盘（见“限额”）。</translation>
    </message>
    <message>
        <source>The organization&apos;s limits could not be read: %1</source>
        <translation>无法读取组织的限额：%1</translation>
    </message>
    <message>
        <source>At most %1 networks may be allowed; %2 are given.</source>
        <translation>最多只能允许 %1 个网络；当前给出了 %2 个。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an IPv4 network in CIDR form such as 10.0.0.0/8.</source>
        <translation>“%1”不是 CIDR 形式的 IPv4 网络（例如 10.0.0.0/8）。</translation>
    </message>
    <message>
        <source>The mount path &quot;%1&quot; must be absolute, such as /data.</source>
        <translation>挂载路径“%1”必须是绝对路径，例如 /data。</translation>
    </message>
    <message>
        <source>The mount path &quot;%1&quot; must not contain &quot;..&quot;.</source>
        <translation>挂载路径“%1”不能包含“..”。</translation>
    </message>
    <message>
        <source>A volume cannot be mounted at /; use a folder such as /data.</source>
        <translation>存储卷不能挂载到 /；请使用 /data 之类的目录。</translation>
    </message>
    <message>
        <source>The name may have at most %1 characters.</source>
        <translation>名称最多 %1 个字符。</translation>
    </message>
    <message>
        <source>Give an image reference such as python:3.12-slim (no spaces).</source>
        <translation>请给出镜像引用，例如 python:3.12-slim（不含空格）。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a variable name (letters, digits and _, not starting with a digit).</source>
        <translation>“%1”不是有效的变量名（字母、数字和 _，不能以数字开头）。</translation>
    </message>
    <message>
        <source>A sandbox may mount at most %1 volumes.</source>
        <translation>一个沙箱最多挂载 %1 个存储卷。</translation>
    </message>
    <message>
        <source>Row %1: choose a volume.</source>
        <translation>第 %1 行：请选择存储卷。</translation>
    </message>
    <message>
        <source>Row %1: %2</source>
        <translation>第 %1 行：%2</translation>
    </message>
    <message>
        <source>Row %1: two volumes are mounted at %2.</source>
        <translation>第 %1 行：有两个存储卷挂载在 %2。</translation>
    </message>
    <message>
        <source>Row %1: the subpath &quot;%2&quot; must be relative to the volume, without &quot;..&quot;.</source>
        <translation>第 %1 行：子路径“%2”必须是相对于存储卷的路径，且不含“..”。</translation>
    </message>
    <message>
        <source>Creating…</source>
        <translation>正在创建…</translation>
    </message>
    <message>
        <source>Nothing was created: %1 Your input is kept; press Create again when the service is back.</source>
        <translation>未创建任何内容：%1 您的输入已保留；服务恢复后再次点击“创建”。</translation>
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
    <message>
        <source>the image&apos;s own, e.g. sleep infinity</source>
        <translation>使用镜像自带的，例如 sleep infinity</translation>
    </message>
    <message>
        <source>The command sandboxes made from the snapshot run first, with its arguments; put a word that holds spaces in double quotes.</source>
        <translation>由该快照创建的沙箱首先运行的命令及其参数；含空格的词请用双引号括起来。</translation>
    </message>
    <message>
        <source> vCPU</source>
        <translation> vCPU</translation>
    </message>
    <message>
        <source> GiB</source>
        <translation> GiB</translation>
    </message>
    <message>
        <source>service default</source>
        <translation>服务默认值</translation>
    </message>
    <message>
        <source>&amp;Entrypoint</source>
        <translation>入口点(&amp;E)</translation>
    </message>
    <message>
        <source>C&amp;PU</source>
        <translation>CPU(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Memory</source>
        <translation>内存(&amp;M)</translation>
    </message>
    <message>
        <source>Dis&amp;k</source>
        <translation>磁盘(&amp;K)</translation>
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
    <name>cove::ui::KeyValueTable</name>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Add %1</source>
        <translation>添加%1</translation>
    </message>
    <message>
        <source>Remove %1</source>
        <translation>移除%1</translation>
    </message>
    <message>
        <source>Every row needs a name.</source>
        <translation>每一行都需要名称。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is given twice.</source>
        <translation>“%1”出现了两次。</translation>
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
        <source>Rate limits per API key: %1 requests, %2 sandbox creations and %3 start/stop/archive/delete calls per minute.</source>
        <translation>每个 API 密钥的速率限制：每分钟 %1 次请求、%2 次沙箱创建、%3 次启动/停止/归档/删除。</translation>
    </message>
    <message>
        <source>%1 of %2 vCPU</source>
        <translation>%1 / %2 vCPU</translation>
    </message>
    <message>
        <source>%1 of %2 GiB</source>
        <translation>%1 / %2 GiB</translation>
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
    <message>
        <source>Snapshots</source>
        <translation>快照</translation>
    </message>
    <message>
        <source>Volumes</source>
        <translation>存储卷</translation>
    </message>
    <message>
        <source>Usage history</source>
        <translation>用量历史</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>最近 1 小时</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>最近 24 小时</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>最近 7 天</translation>
    </message>
    <message>
        <source>Time range</source>
        <translation>时间范围</translation>
    </message>
    <message>
        <source>&amp;Range:</source>
        <translation>范围(&amp;R)：</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>Sandboxes: %1 running, %2 in all</source>
        <translation>沙箱：%1 个运行中，共 %2 个</translation>
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
        <source>Docker %1 — sandbox root is host root</source>
        <translation>Docker %1 — 沙箱 root 即主机 root</translation>
    </message>
    <message>
        <source>The Docker engine does not remap users, so root in a sandbox is root on the service&apos;s machine. Start dockerd with --userns-remap=default.</source>
        <translation>Docker 引擎未重映射用户，沙箱中的 root 就是服务所在机器上的 root。请使用 --userns-remap=default 启动 dockerd。</translation>
    </message>
    <message>
        <source>Not connected: %1</source>
        <translation>未连接：%1</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>正在连接 %1…</translation>
    </message>
    <message>
        <source>&amp;Start the local service</source>
        <translation>启动本机服务(&amp;S)</translation>
    </message>
    <message>
        <source>Enter API &amp;key…</source>
        <translation>输入 API 密钥(&amp;K)…</translation>
    </message>
    <message>
        <source>Retry &amp;now</source>
        <translation>立即重试(&amp;N)</translation>
    </message>
    <message>
        <source>The service at %1 refused the API key. Enter the key of this service to go on.</source>
        <translation>%1 上的服务拒绝了该 API 密钥。请输入此服务的密钥以继续。</translation>
    </message>
    <message>
        <source>The Cove service at %1 is not answering; Cove keeps trying and picks up where you left off.</source>
        <translation>%1 上的 Cove 服务没有响应；Cove 会持续重试，恢复后从您离开的地方继续。</translation>
    </message>
    <message>
        <source>Starting the Cove service…</source>
        <translation>正在启动 Cove 服务…</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>The API key for %1 (it is kept in the settings):</source>
        <translation>%1 的 API 密钥（将保存在设置中）：</translation>
    </message>
    <message numerus="yes">
        <source>%1 · %2 of %3 vCPU · %n running</source>
        <translation>
            <numerusform>%1 · %2 / %3 vCPU · %n 个运行中</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Terminal</source>
        <translation>终端(&amp;T)</translation>
    </message>
    <message>
        <source>Webhooks</source>
        <translation>Webhooks</translation>
    </message>
    <message>
        <source>Registries</source>
        <translation>镜像仓库</translation>
    </message>
    <message>
        <source>Secrets</source>
        <translation>机密</translation>
    </message>
</context>
<context>
    <name>cove::ui::RegistriesPage</name>
    <message>
        <source>Registries</source>
        <translation>镜像仓库</translation>
    </message>
    <message>
        <source>Private container registries: snapshots whose image is in one of them are pulled with its credentials. Passwords are stored encrypted and never shown.</source>
        <translation>私有容器镜像仓库:镜像位于其中的快照将使用该仓库的凭据拉取。密码加密保存,从不显示。</translation>
    </message>
    <message>
        <source>&amp;Add registry…</source>
        <translation>添加镜像仓库(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>编辑(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>删除(&amp;D)…</translation>
    </message>
    <message>
        <source>The registry was not added: %1</source>
        <translation>未添加镜像仓库:%1</translation>
    </message>
    <message>
        <source>The registry was not changed: %1</source>
        <translation>未修改镜像仓库:%1</translation>
    </message>
    <message>
        <source>Delete registry</source>
        <translation>删除镜像仓库</translation>
    </message>
    <message>
        <source>Delete the registry &quot;%1&quot; and its stored credentials? Snapshots already pulled from it stay.</source>
        <translation>删除镜像仓库“%1”及其保存的凭据?已从中拉取的快照会保留。</translation>
    </message>
    <message>
        <source>The registry &quot;%1&quot; was not deleted: %2</source>
        <translation>未删除镜像仓库“%1”:%2</translation>
    </message>
</context>
<context>
    <name>cove::ui::RegistryDialog</name>
    <message>
        <source>Edit registry</source>
        <translation>编辑镜像仓库</translation>
    </message>
    <message>
        <source>Add registry</source>
        <translation>添加镜像仓库</translation>
    </message>
    <message>
        <source>e.g. Team registry</source>
        <translation>例如 团队仓库</translation>
    </message>
    <message>
        <source>e.g. registry.example.com:5000 or docker.io</source>
        <translation>例如 registry.example.com:5000 或 docker.io</translation>
    </message>
    <message>
        <source>optional, e.g. team</source>
        <translation>可选,例如 team</translation>
    </message>
    <message>
        <source>unchanged unless you type a new one</source>
        <translation>不输入新密码则保持不变</translation>
    </message>
    <message>
        <source>password or access token</source>
        <translation>密码或访问令牌</translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation>名称(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;URL</source>
        <translation>地址(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Username</source>
        <translation>用户名(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation>密码(&amp;P)</translation>
    </message>
    <message>
        <source>Pro&amp;ject</source>
        <translation>项目(&amp;J)</translation>
    </message>
    <message>
        <source>Snapshots whose image is in this registry (for example registry.example.com:5000/team/app:1.0) are pulled with these credentials. The password is stored encrypted and never shown again; changing the URL needs it again.</source>
        <translation>镜像位于此仓库(例如 registry.example.com:5000/team/app:1.0)的快照将使用这些凭据拉取。密码加密保存,不会再次显示;修改地址时需要重新输入密码。</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
</context>
<context>
    <name>cove::ui::SandboxDetail</name>
    <message>
        <source>No sandbox chosen</source>
        <translation>未选择沙箱</translation>
    </message>
    <message>
        <source>&amp;Overview</source>
        <translation>概览(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Files</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Logs</source>
        <translation>日志(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Metrics</source>
        <translation>指标(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Preview</source>
        <translation>预览(&amp;P)</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>V&amp;NC</source>
        <translation>V&amp;NC</translation>
    </message>
    <message>
        <source>C&amp;heckpoints</source>
        <translation>检查点(&amp;H)</translation>
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
        <source>&amp;Create…</source>
        <translation>创建(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>启动(&amp;S)</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>停止(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Archive</source>
        <translation>归档(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>删除(&amp;D)</translation>
    </message>
    <message>
        <source>Create a sandbox (Ctrl+N)</source>
        <translation>创建沙箱 (Ctrl+N)</translation>
    </message>
    <message>
        <source>Reconnect &amp;now</source>
        <translation>立即重新连接(&amp;N)</translation>
    </message>
    <message>
        <source>Text filter</source>
        <translation>文本筛选</translation>
    </message>
    <message>
        <source>Label: key or key=value</source>
        <translation>标签：key 或 key=value</translation>
    </message>
    <message>
        <source>Label filter</source>
        <translation>标签筛选</translation>
    </message>
    <message>
        <source>Snapshot filter</source>
        <translation>快照筛选</translation>
    </message>
    <message>
        <source>All snapshots</source>
        <translation>全部快照</translation>
    </message>
    <message>
        <source>State filter</source>
        <translation>状态筛选</translation>
    </message>
    <message>
        <source>All states</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>Open &amp;Terminal in a Window</source>
        <translation>在新窗口中打开终端(&amp;T)</translation>
    </message>
    <message>
        <source>&lt;b&gt;The Cove service is not reachable.&lt;/b&gt; %1 Reconnecting automatically; the list shows what was last seen.</source>
        <translation>&lt;b&gt;无法连接 Cove 服务。&lt;/b&gt;%1 正在自动重新连接；列表显示的是最后看到的内容。</translation>
    </message>
    <message>
        <source>No sandboxes yet. Create one with Create… (Ctrl+N) or with the Daytona SDK pointed at %1/api.</source>
        <translation>还没有沙箱。点击“创建…”（Ctrl+N），或用指向 %1/api 的 Daytona SDK 创建一个。</translation>
    </message>
    <message>
        <source>State: all</source>
        <translation>状态：全部</translation>
    </message>
    <message>
        <source>State: %1</source>
        <translation>状态：%1</translation>
    </message>
    <message>
        <source>Sandbox %1 was created.</source>
        <translation>已创建沙箱 %1。</translation>
    </message>
    <message>
        <source>and %1 more</source>
        <translation>以及另外 %1 个</translation>
    </message>
    <message>
        <source>Stop sandboxes</source>
        <translation>停止沙箱</translation>
    </message>
    <message>
        <source>Stop the sandbox &quot;%1&quot;?</source>
        <translation>停止沙箱“%1”？</translation>
    </message>
    <message>
        <source>Stop %1 sandboxes?</source>
        <translation>停止 %1 个沙箱？</translation>
    </message>
    <message>
        <source>Their processes end; their files stay.</source>
        <translation>其中的进程会结束；文件保留。</translation>
    </message>
    <message>
        <source>Archive sandboxes</source>
        <translation>归档沙箱</translation>
    </message>
    <message>
        <source>Archive the sandbox &quot;%1&quot;?</source>
        <translation>归档沙箱“%1”？</translation>
    </message>
    <message>
        <source>Archive %1 sandboxes?</source>
        <translation>归档 %1 个沙箱？</translation>
    </message>
    <message>
        <source>Their files move to the archive and stop counting against the disk quota; starting one restores it.</source>
        <translation>其文件会移入归档，不再计入磁盘配额；启动时会恢复。</translation>
    </message>
    <message>
        <source>Delete sandboxes</source>
        <translation>删除沙箱</translation>
    </message>
    <message>
        <source>Delete the sandbox &quot;%1&quot;?</source>
        <translation>删除沙箱“%1”？</translation>
    </message>
    <message>
        <source>Delete %1 sandboxes?</source>
        <translation>删除 %1 个沙箱？</translation>
    </message>
    <message>
        <source>Their files are removed for good.</source>
        <translation>其文件将被永久删除。</translation>
    </message>
    <message>
        <source>%1 of %2 started</source>
        <translation>已启动 %1 / %2 个</translation>
    </message>
    <message>
        <source>%1 of %2 stopped</source>
        <translation>已停止 %1 / %2 个</translation>
    </message>
    <message>
        <source>%1 of %2 archived</source>
        <translation>已归档 %1 / %2 个</translation>
    </message>
    <message>
        <source>%1 of %2 deleted</source>
        <translation>已删除 %1 / %2 个</translation>
    </message>
    <message>
        <source>Open &amp;Desktop in a Window</source>
        <translation>在窗口中打开桌面(&amp;D)</translation>
    </message>
    <message>
        <source>SS&amp;H Access…</source>
        <translation>SSH 访问(&amp;H)…</translation>
    </message>
    <message>
        <source>Create SSH access to the sandbox: an ssh command to copy, valid for the time you choose (Ctrl+Shift+H)</source>
        <translation>为沙箱创建 SSH 访问：一条可复制的 ssh 命令，在你选择的时间内有效（Ctrl+Shift+H）</translation>
    </message>
</context>
<context>
    <name>cove::ui::SecretDialog</name>
    <message>
        <source>Edit secret</source>
        <translation>编辑机密</translation>
    </message>
    <message>
        <source>Add secret</source>
        <translation>添加机密</translation>
    </message>
    <message>
        <source>e.g. OPENAI_API_KEY</source>
        <translation>例如 OPENAI_API_KEY</translation>
    </message>
    <message>
        <source>unchanged unless you type a new one</source>
        <translation>不输入新值则保持不变</translation>
    </message>
    <message>
        <source>the API key, token or password</source>
        <translation>API 密钥、令牌或密码</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>可选</translation>
    </message>
    <message>
        <source>one per line, e.g. api.openai.com or *.example.com</source>
        <translation>每行一个,例如 api.openai.com 或 *.example.com</translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation>名称(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Value</source>
        <translation>值(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Description</source>
        <translation>描述(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Hosts</source>
        <translation>主机(&amp;H)</translation>
    </message>
    <message>
        <source>Sandboxes that mount this secret see only its placeholder. Cove puts the value into their requests to these hosts, and nowhere else; with no hosts it is sent nowhere. The value is stored encrypted and never shown again.</source>
        <translation>挂载此机密的沙箱只能看到它的占位符。Cove 只在发往这些主机的请求中填入真实值,不会发往别处;没有主机时,值不会被发送到任何地方。值以加密方式存储,之后不再显示。</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>A name starts with a letter or &apos;_&apos; and holds only letters, digits, &apos;_&apos; and &apos;-&apos;.</source>
        <translation>名称须以字母或 &apos;_&apos; 开头,且只能包含字母、数字、&apos;_&apos; 和 &apos;-&apos;。</translation>
    </message>
    <message>
        <source>At most %1 hosts; use a wildcard such as *.example.com.</source>
        <translation>最多 %1 个主机;请使用 *.example.com 这样的通配符。</translation>
    </message>
</context>
<context>
    <name>cove::ui::SecretsPage</name>
    <message>
        <source>Secrets</source>
        <translation>机密</translation>
    </message>
    <message>
        <source>API keys and tokens your sandboxes may use but never read: a sandbox gets a placeholder, and Cove swaps in the value only in its requests to the secret&apos;s hosts. Values are stored encrypted and never shown.</source>
        <translation>沙箱可以使用但永远读不到的 API 密钥和令牌:沙箱只拿到占位符,Cove 仅在它发往该机密主机的请求中换入真实值。值以加密方式存储,从不显示。</translation>
    </message>
    <message>
        <source>&amp;Add secret…</source>
        <translation>添加机密(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>编辑(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Copy placeholder</source>
        <translation>复制占位符(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>删除(&amp;D)…</translation>
    </message>
    <message>
        <source>The secret was not added: %1</source>
        <translation>未添加机密:%1</translation>
    </message>
    <message>
        <source>The secret was not changed: %1</source>
        <translation>未修改机密:%1</translation>
    </message>
    <message>
        <source>Delete secret</source>
        <translation>删除机密</translation>
    </message>
    <message>
        <source>The secret &quot;%1&quot; is mounted by %2. Take it out of them first (their secrets, or delete them), then delete it.</source>
        <translation>机密“%1”已由 %2 挂载。请先从这些沙箱中移除它(修改它们的机密,或删除沙箱),然后再删除。</translation>
    </message>
    <message>
        <source>Delete the secret &quot;%1&quot; and its stored value? No sandbox mounts it; sandboxes created with it later are refused.</source>
        <translation>删除机密“%1”及其存储的值?当前没有沙箱挂载它;之后使用它创建沙箱将被拒绝。</translation>
    </message>
    <message>
        <source>The secret &quot;%1&quot; was not deleted: %2</source>
        <translation>未删除机密“%1”:%2</translation>
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
    <message>
        <source>System language</source>
        <translation>系统语言</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <source>System</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>&amp;Theme:</source>
        <translation>主题(&amp;T)：</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>How often charts (metrics, usage) take a new sample. Lists update live.</source>
        <translation>图表（指标、用量）多久采样一次。列表会实时更新。</translation>
    </message>
    <message>
        <source>Chart &amp;refresh:</source>
        <translation>图表刷新(&amp;R)：</translation>
    </message>
</context>
<context>
    <name>cove::ui::SnapshotsPage</name>
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
    <name>cove::ui::SshAccessDialog</name>
    <message>
        <source>C&amp;reate</source>
        <translation>创建(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <source>Re&amp;voke All SSH Access</source>
        <translation>撤销全部 SSH 访问(&amp;V)</translation>
    </message>
    <message>
        <source>SSH Access to %1</source>
        <translation>%1 的 SSH 访问</translation>
    </message>
    <message>
        <source>A token lets anyone who has it open a shell in this sandbox with ssh, scp, sftp or an editor&apos;s remote SSH, until it expires or is revoked.</source>
        <translation>持有令牌的任何人都可以用 ssh、scp、sftp 或编辑器的远程 SSH 在此沙箱中打开 shell，直到令牌过期或被撤销。</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>Expires after, in minutes</source>
        <translation>有效时长（分钟）</translation>
    </message>
    <message>
        <source>&amp;Expires after:</source>
        <translation>有效时长(&amp;E)：</translation>
    </message>
    <message>
        <source>SSH command</source>
        <translation>SSH 命令</translation>
    </message>
    <message>
        <source>The ssh command appears here</source>
        <translation>ssh 命令将显示在这里</translation>
    </message>
    <message>
        <source>SSH co&amp;mmand:</source>
        <translation>SSH 命令(&amp;M)：</translation>
    </message>
    <message>
        <source>Copy the ssh command to the clipboard</source>
        <translation>将 ssh 命令复制到剪贴板</translation>
    </message>
    <message>
        <source>Every SSH token of this sandbox stops working at once</source>
        <translation>此沙箱的所有 SSH 令牌立即失效</translation>
    </message>
    <message>
        <source>The Cove service runs without its SSH gateway (coved --ssh-listen off): this token works once the gateway is on.</source>
        <translation>Cove 服务未开启 SSH 网关（coved --ssh-listen off）：网关开启后此令牌即可使用。</translation>
    </message>
    <message>
        <source>Valid until %1. Copy it now: it is not shown again.</source>
        <translation>有效期至 %1。请立即复制：它不会再次显示。</translation>
    </message>
    <message>
        <source>Revoke SSH access</source>
        <translation>撤销 SSH 访问</translation>
    </message>
    <message>
        <source>Revoke every SSH token of this sandbox? Open SSH sessions keep running; no new one can start with them.</source>
        <translation>撤销此沙箱的所有 SSH 令牌？已打开的 SSH 会话继续运行；但无法再用这些令牌开启新会话。</translation>
    </message>
    <message>
        <source>Every SSH token of this sandbox was revoked.</source>
        <translation>此沙箱的所有 SSH 令牌已被撤销。</translation>
    </message>
</context>
<context>
    <name>cove::ui::TerminalView</name>
    <message>
        <source>&amp;New Session</source>
        <translation>新会话(&amp;N)</translation>
    </message>
    <message>
        <source>Open a new shell in this sandbox</source>
        <translation>在此沙箱中打开一个新的 Shell</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>粘贴(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Detach</source>
        <translation>分离(&amp;D)</translation>
    </message>
    <message>
        <source>Move this terminal into a window of its own</source>
        <translation>将此终端移到单独的窗口中</translation>
    </message>
    <message>
        <source>The terminal page did not load from %1. Is the Cove service running?</source>
        <translation>无法从 %1 加载终端页面。Cove 服务是否正在运行？</translation>
    </message>
    <message>
        <source>Cannot open a terminal: %1</source>
        <translation>无法打开终端：%1</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>Disconnected from the sandbox.</source>
        <translation>已与沙箱断开连接。</translation>
    </message>
    <message>
        <source>The shell exited (code %1). Use New Session to start another.</source>
        <translation>Shell 已退出（退出码 %1）。请使用“新会话”启动另一个。</translation>
    </message>
    <message>
        <source>Reconnect</source>
        <translation>重新连接</translation>
    </message>
    <message>
        <source>No terminal token. Use New Session.</source>
        <translation>没有终端令牌。请使用“新会话”。</translation>
    </message>
    <message>
        <source>The terminal could not be opened. Use New Session to try again.</source>
        <translation>无法打开终端。请使用“新会话”重试。</translation>
    </message>
    <message>
        <source>Terminal — %1</source>
        <translation>终端 — %1</translation>
    </message>
</context>
<context>
    <name>cove::ui::TerminalWindow</name>
    <message>
        <source>Terminal — %1</source>
        <translation>终端 — %1</translation>
    </message>
</context>
<context>
    <name>cove::ui::VncCanvas</name>
    <message>
        <source>Remote desktop</source>
        <translation>远程桌面</translation>
    </message>
</context>
<context>
    <name>cove::ui::VncClient</name>
    <message>
        <source>The desktop asked for a %1×%2 screen; Cove shows screens of up to %3×%3 pixels.</source>
        <translation>桌面请求 %1×%2 的屏幕；Cove 最多显示 %3×%3 像素的屏幕。</translation>
    </message>
    <message>
        <source>The desktop did not answer as a VNC server.</source>
        <translation>桌面没有以 VNC 服务器的方式应答。</translation>
    </message>
    <message>
        <source>Cannot make a socket pair: %1</source>
        <translation>无法创建套接字对：%1</translation>
    </message>
    <message>
        <source>The desktop&apos;s tunnel could not be opened: %1</source>
        <translation>无法打开桌面隧道：%1</translation>
    </message>
    <message>
        <source>The tunnel closed.</source>
        <translation>隧道已关闭。</translation>
    </message>
    <message>
        <source>The connection to the desktop ended.</source>
        <translation>与桌面的连接已结束。</translation>
    </message>
</context>
<context>
    <name>cove::ui::VncView</name>
    <message>
        <source>&amp;Start desktop</source>
        <translation>启动桌面(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Reconnect</source>
        <translation>重新连接(&amp;R)</translation>
    </message>
    <message>
        <source>Scale to &amp;fit</source>
        <translation>缩放以适应(&amp;F)</translation>
    </message>
    <message>
        <source>Scale the desktop to the view, or show it pixel for pixel (1:1)</source>
        <translation>将桌面缩放到视图大小，或按像素原样显示（1:1）</translation>
    </message>
    <message>
        <source>&amp;View only</source>
        <translation>仅查看(&amp;V)</translation>
    </message>
    <message>
        <source>Watch without sending mouse or keys</source>
        <translation>只观看，不发送鼠标和按键</translation>
    </message>
    <message>
        <source>Ctrl+Alt+&amp;Del</source>
        <translation>Ctrl+Alt+Del(&amp;D)</translation>
    </message>
    <message>
        <source>Send Ctrl+Alt+Del to the desktop</source>
        <translation>向桌面发送 Ctrl+Alt+Del</translation>
    </message>
    <message>
        <source>Re&amp;connect</source>
        <translation>重新连接(&amp;C)</translation>
    </message>
    <message>
        <source>No sandbox chosen.</source>
        <translation>未选择沙箱。</translation>
    </message>
    <message>
        <source>Not connected.</source>
        <translation>未连接。</translation>
    </message>
    <message>
        <source>Connecting to the desktop…</source>
        <translation>正在连接桌面…</translation>
    </message>
    <message>
        <source>The desktop of this sandbox is not running. Start it to see and use it here.</source>
        <translation>此沙箱的桌面未运行。启动后即可在此查看和使用。</translation>
    </message>
    <message>
        <source>Cannot reach the desktop: %1</source>
        <translation>无法访问桌面：%1</translation>
    </message>
    <message>
        <source>Starting the desktop…</source>
        <translation>正在启动桌面…</translation>
    </message>
    <message>
        <source>The desktop did not start: %1</source>
        <translation>桌面未能启动：%1</translation>
    </message>
    <message>
        <source>Disconnected: %1</source>
        <translation>已断开：%1</translation>
    </message>
    <message>
        <source>Cannot show the desktop: %1</source>
        <translation>无法显示桌面：%1</translation>
    </message>
    <message>
        <source>Connected · %1×%2</source>
        <translation>已连接 · %1×%2</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>未连接</translation>
    </message>
</context>
<context>
    <name>cove::ui::VncWindow</name>
    <message>
        <source>Desktop — %1</source>
        <translation>桌面 — %1</translation>
    </message>
</context>
<context>
    <name>cove::ui::VolumesPage</name>
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
        <source>Files in %1</source>
        <translation>%1 中的文件</translation>
    </message>
</context>
<context>
    <name>cove::ui::WarmPoolsBox</name>
    <message>
        <source>Warm pools</source>
        <translation>预热池</translation>
    </message>
    <message>
        <source>Started sandboxes of a snapshot kept ready, so creates of that snapshot answer at once. They count against the quota.</source>
        <translation>预先启动并待命的某个快照的沙箱，使用该快照的创建请求可立即得到响应。它们计入配额。</translation>
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
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>&amp;Add pool…</source>
        <translation>添加池(&amp;A)…</translation>
    </message>
    <message>
        <source>Edit si&amp;ze…</source>
        <translation>修改大小(&amp;Z)…</translation>
    </message>
    <message>
        <source>De&amp;lete pool</source>
        <translation>删除池(&amp;L)</translation>
    </message>
    <message>
        <source>%1 vCPU, %2 GiB, %3 GiB disk</source>
        <translation>%1 vCPU，%2 GiB，%3 GiB 磁盘</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>Add warm pool</source>
        <translation>添加预热池</translation>
    </message>
    <message>
        <source>&amp;Snapshot:</source>
        <translation>快照(&amp;S)：</translation>
    </message>
    <message>
        <source>Warm sandboxes to keep &amp;ready:</source>
        <translation>保持就绪的预热沙箱数(&amp;R)：</translation>
    </message>
    <message>
        <source>Edit warm pool size</source>
        <translation>修改预热池大小</translation>
    </message>
    <message>
        <source>Warm sandboxes of %1 to keep &amp;ready (0 empties the pool):</source>
        <translation>保持就绪的 %1 预热沙箱数(&amp;R)（0 表示清空该池）：</translation>
    </message>
    <message>
        <source>Delete warm pool</source>
        <translation>删除预热池</translation>
    </message>
    <message>
        <source>Delete the warm pool of %1? Its %2 ready sandboxes are removed; sandboxes already created from it stay.</source>
        <translation>删除 %1 的预热池？其 %2 个就绪沙箱将被移除；已由它创建的沙箱保留。</translation>
    </message>
</context>
<context>
    <name>cove::ui::WebhookEndpointDialog</name>
    <message>
        <source>&amp;Enabled</source>
        <translation>启用(&amp;E)</translation>
    </message>
    <message>
        <source>Allow &amp;local and private addresses (this computer, the local network)</source>
        <translation>允许本机和私有地址(&amp;L)（本计算机、局域网）</translation>
    </message>
    <message>
        <source>Add webhook endpoint</source>
        <translation>添加 Webhook 端点</translation>
    </message>
    <message>
        <source>Edit webhook endpoint</source>
        <translation>编辑 Webhook 端点</translation>
    </message>
    <message>
        <source>https://example.com/hooks/cove</source>
        <translation>https://example.com/hooks/cove</translation>
    </message>
    <message>
        <source>Off, deliveries go to public https:// addresses only. On, they may also go over plain http:// to loopback, private networks and this computer&apos;s addresses; never to sandboxes.</source>
        <translation>关闭时，只投递到公网 https:// 地址。开启后，也可以通过普通 http:// 投递到回环地址、私有网络和本计算机的地址；但绝不会投递到沙箱。</translation>
    </message>
    <message>
        <source>Endpoint &amp;URL</source>
        <translation>端点地址(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Description</source>
        <translation>描述(&amp;D)</translation>
    </message>
    <message>
        <source>Events (none ticked: every event)</source>
        <translation>事件（都不勾选：全部事件）</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
</context>
<context>
    <name>cove::ui::WebhooksPage</name>
    <message>
        <source>URL</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>已启用</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Local addresses</source>
        <translation>本机地址</translation>
    </message>
    <message>
        <source>allowed</source>
        <translation>允许</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>delivered</source>
        <translation>已送达</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>尝试次数</translation>
    </message>
    <message>
        <source>Last answer</source>
        <translation>最近应答</translation>
    </message>
    <message>
        <source>Next retry</source>
        <translation>下次重试</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>#%1 %2: %3 in %4 ms %5</source>
        <translation>第 %1 次 %2：%3，耗时 %4 毫秒 %5</translation>
    </message>
    <message>
        <source>Webhooks</source>
        <translation>Webhooks</translation>
    </message>
    <message>
        <source>Cove sends sandbox, snapshot and volume events to your endpoints as signed HTTP requests (Svix-style, as Daytona does), retrying failed deliveries for up to a day.</source>
        <translation>Cove 以带签名的 HTTP 请求（Svix 风格，与 Daytona 相同）将沙箱、快照和存储卷事件发送到您的端点，投递失败时会在最长约一天内重试。</translation>
    </message>
    <message>
        <source>Delivery log (of the selected endpoint, or of all)</source>
        <translation>投递日志（所选端点的，或全部的）</translation>
    </message>
    <message>
        <source>&amp;Add endpoint…</source>
        <translation>添加端点(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>编辑(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>删除(&amp;D)…</translation>
    </message>
    <message>
        <source>Send &amp;test</source>
        <translation>发送测试(&amp;T)</translation>
    </message>
    <message>
        <source>Signing &amp;secret…</source>
        <translation>签名密钥(&amp;S)…</translation>
    </message>
    <message>
        <source>Webhook endpoints</source>
        <translation>Webhook 端点</translation>
    </message>
    <message>
        <source>Webhook deliveries</source>
        <translation>Webhook 投递</translation>
    </message>
    <message>
        <source>Receivers check each delivery&apos;s signature with this secret. Copy it now; &quot;Signing secret…&quot; shows it again.</source>
        <translation>接收方用此密钥校验每次投递的签名。请现在复制；“签名密钥…”可再次显示它。</translation>
    </message>
    <message>
        <source>Delete webhook endpoint</source>
        <translation>删除 Webhook 端点</translation>
    </message>
    <message>
        <source>Delete the endpoint %1? Its pending deliveries are dropped.</source>
        <translation>删除端点 %1？其等待中的投递将被丢弃。</translation>
    </message>
    <message>
        <source>Test message %1 queued.</source>
        <translation>测试消息 %1 已排队。</translation>
    </message>
    <message>
        <source>Receivers check each delivery&apos;s signature with this secret.</source>
        <translation>接收方用此密钥校验每次投递的签名。</translation>
    </message>
    <message>
        <source>Signing secret</source>
        <translation>签名密钥</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Rotate</source>
        <translation>轮换(&amp;R)</translation>
    </message>
    <message>
        <source>Rotate signing secret</source>
        <translation>轮换签名密钥</translation>
    </message>
    <message>
        <source>Make a new secret? Receivers must use it from the next delivery on.</source>
        <translation>生成新的密钥？接收方须从下一次投递起使用它。</translation>
    </message>
</context>
<context>
    <name>cove::ui::detail::ActionDialog</name>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>Nothing was changed: %1 Your input is kept; press OK again when the service is back.</source>
        <translation>未做任何更改：%1 您的输入已保留；服务恢复后请再次按“确定”。</translation>
    </message>
</context>
<context>
    <name>cove::ui::detail::CheckpointsTab</name>
    <message>
        <source>A checkpoint keeps the sandbox&apos;s files as they are now. Rolling back to one puts them back; a running sandbox&apos;s processes restart.</source>
        <translation>检查点保存沙箱文件的当前状态。回滚到某个检查点会恢复这些文件；正在运行的沙箱的进程会重新启动。</translation>
    </message>
    <message>
        <source>Cr&amp;eate…</source>
        <translation>创建(&amp;E)…</translation>
    </message>
    <message>
        <source>Roll &amp;back…</source>
        <translation>回滚(&amp;B)…</translation>
    </message>
    <message>
        <source>&amp;Remove…</source>
        <translation>移除(&amp;R)…</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Checkpoints</source>
        <translation>检查点</translation>
    </message>
    <message>
        <source>The checkpoints could not be read: %1</source>
        <translation>无法读取检查点：%1</translation>
    </message>
    <message>
        <source>Create checkpoint</source>
        <translation>创建检查点</translation>
    </message>
    <message>
        <source>The sandbox&apos;s files as they are now, kept under this name to roll back to later.</source>
        <translation>以此名称保存沙箱文件的当前状态，以便日后回滚。</translation>
    </message>
    <message>
        <source>&amp;Create</source>
        <translation>创建(&amp;C)</translation>
    </message>
    <message>
        <source>The checkpoint was made.</source>
        <translation>检查点已创建。</translation>
    </message>
    <message>
        <source>Roll back</source>
        <translation>回滚</translation>
    </message>
    <message>
        <source>Put the sandbox&apos;s files back as they were at the checkpoint &quot;%1&quot;? Changes made since are lost, and if the sandbox runs, its processes restart.</source>
        <translation>将沙箱的文件恢复到检查点“%1”时的状态？此后所做的更改将丢失；如果沙箱正在运行，其进程会重新启动。</translation>
    </message>
    <message>
        <source>Rolling back to &quot;%1&quot;…</source>
        <translation>正在回滚到“%1”…</translation>
    </message>
    <message>
        <source>Nothing was rolled back: %1</source>
        <translation>未回滚任何内容：%1</translation>
    </message>
    <message>
        <source>The sandbox&apos;s files are back as they were at &quot;%1&quot;.</source>
        <translation>沙箱的文件已恢复到“%1”时的状态。</translation>
    </message>
    <message>
        <source>Remove checkpoint</source>
        <translation>移除检查点</translation>
    </message>
    <message>
        <source>Remove the checkpoint &quot;%1&quot;? The sandbox can no longer be rolled back to it.</source>
        <translation>移除检查点“%1”？之后沙箱将无法再回滚到该检查点。</translation>
    </message>
    <message>
        <source>Removing &quot;%1&quot;…</source>
        <translation>正在移除“%1”…</translation>
    </message>
    <message>
        <source>The checkpoint was not removed: %1</source>
        <translation>检查点未被移除：%1</translation>
    </message>
    <message>
        <source>The checkpoint &quot;%1&quot; was removed.</source>
        <translation>检查点“%1”已移除。</translation>
    </message>
</context>
<context>
    <name>cove::ui::detail::DesktopTab</name>
    <message>
        <source>Open in a &amp;Window</source>
        <translation>在窗口中打开(&amp;W)</translation>
    </message>
    <message>
        <source>Show this desktop in a window of its own</source>
        <translation>在单独的窗口中显示此桌面</translation>
    </message>
</context>
<context>
    <name>cove::ui::detail::FileListModel</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Modified</source>
        <translation>修改时间</translation>
    </message>
    <message>
        <source>Permissions</source>
        <translation>权限</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>所有者</translation>
    </message>
</context>
<context>
    <name>cove::ui::detail::FilesTab</name>
    <message>
        <source>&amp;Upload…</source>
        <translation>上传(&amp;U)…</translation>
    </message>
    <message>
        <source>Do&amp;wnload…</source>
        <translation>下载(&amp;W)…</translation>
    </message>
    <message>
        <source>New &amp;folder…</source>
        <translation>新建文件夹(&amp;F)…</translation>
    </message>
    <message>
        <source>Re&amp;name…</source>
        <translation>重命名(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>删除(&amp;D)</translation>
    </message>
    <message>
        <source>Up to the parent folder (Alt+Up)</source>
        <translation>转到上级文件夹（Alt+上）</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>上级</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Folder in the sandbox, e.g. /home/cove</source>
        <translation>沙箱中的文件夹，例如 /home/cove</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Double-click a folder to open it; drop files here to upload them.</source>
        <translation>双击文件夹可打开；将文件拖放到此处即可上传。</translation>
    </message>
    <message>
        <source>Transfer progress</source>
        <translation>传输进度</translation>
    </message>
    <message>
        <source>&amp;Cancel transfer</source>
        <translation>取消传输(&amp;C)</translation>
    </message>
    <message>
        <source>Cannot reach the sandbox&apos;s files: %1 Start the sandbox, then press F5.</source>
        <translation>无法访问沙箱的文件：%1 请启动沙箱，然后按 F5。</translation>
    </message>
    <message>
        <source>There is no folder %1 in the sandbox. Check the path.</source>
        <translation>沙箱中没有文件夹 %1。请检查路径。</translation>
    </message>
    <message>
        <source>Cannot list %1: %2</source>
        <translation>无法列出 %1：%2</translation>
    </message>
    <message>
        <source>Upload files to %1</source>
        <translation>上传文件到 %1</translation>
    </message>
    <message>
        <source>Folders are not uploaded (%1); drop or choose the files inside them.</source>
        <translation>文件夹不会被上传（%1）；请拖放或选择其中的文件。</translation>
    </message>
    <message>
        <source>Uploading %1 (%2 of %3)</source>
        <translation>正在上传 %1（第 %2 个，共 %3 个）</translation>
    </message>
    <message>
        <source>Uploading %1</source>
        <translation>正在上传 %1</translation>
    </message>
    <message>
        <source>Save %1 as</source>
        <translation>将 %1 另存为</translation>
    </message>
    <message>
        <source>Another transfer is running; wait for it or cancel it.</source>
        <translation>另一个传输正在进行；请等待其完成或将其取消。</translation>
    </message>
    <message>
        <source>Downloading %1</source>
        <translation>正在下载 %1</translation>
    </message>
    <message>
        <source>Uploading %1 failed: %2</source>
        <translation>上传 %1 失败：%2</translation>
    </message>
    <message>
        <source>Downloading %1 failed: %2</source>
        <translation>下载 %1 失败：%2</translation>
    </message>
    <message>
        <source>New folder</source>
        <translation>新建文件夹</translation>
    </message>
    <message>
        <source>Name of the new folder in %1:</source>
        <translation>在 %1 中新建的文件夹名称：</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a folder name: use a name without &quot;/&quot; that is not &quot;.&quot; or &quot;..&quot;.</source>
        <translation>“%1”不是有效的文件夹名称：请使用不含“/”且不是“.”或“..”的名称。</translation>
    </message>
    <message>
        <source>Creating the folder failed: %1</source>
        <translation>创建文件夹失败：%1</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <source>New name for %1:</source>
        <translation>%1 的新名称：</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a valid name: use a name without &quot;/&quot; that is not &quot;.&quot; or &quot;..&quot;.</source>
        <translation>“%1”不是有效的名称：请使用不含“/”且不是“.”或“..”的名称。</translation>
    </message>
    <message>
        <source>%1 already exists here; choose another name or delete it first.</source>
        <translation>此处已存在 %1；请换一个名称或先将其删除。</translation>
    </message>
    <message>
        <source>Renaming failed: %1</source>
        <translation>重命名失败：%1</translation>
    </message>
    <message>
        <source>Delete %1 from the sandbox?</source>
        <translation>要从沙箱中删除 %1 吗？</translation>
    </message>
    <message>
        <source>Delete these %1 entries from %2?
%3</source>
        <translation>要从 %2 中删除这 %1 项吗？
%3</translation>
    </message>
    <message>
        <source>Folders are deleted with everything in them.</source>
        <translation>文件夹将连同其中的所有内容一起删除。</translation>
    </message>
    <message>
        <source>This cannot be undone.</source>
        <translation>此操作无法撤销。</translation>
    </message>
    <message>
        <source>Delete files</source>
        <translation>删除文件</translation>
    </message>
    <message>
        <source>Deleting %1 failed: %2</source>
        <translation>删除 %1 失败：%2</translation>
    </message>
    <message>
        <source>Folder in the volume, e.g. /datasets</source>
        <translation>存储卷中的文件夹，例如 /datasets</translation>
    </message>
    <message>
        <source>There is no folder %1 in the volume. Check the path.</source>
        <translation>存储卷中没有文件夹 %1。请检查路径。</translation>
    </message>
    <message>
        <source>Delete %1 from the volume?</source>
        <translation>要从存储卷中删除 %1 吗？</translation>
    </message>
</context>
<context>
    <name>cove::ui::detail::LabelsDialog</name>
    <message>
        <source>Labels</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Labels name what &quot;%1&quot; is for; the Sandboxes page filters by them. Saving replaces every label.</source>
        <translation>标签说明“%1”的用途；“沙箱”页面可按标签筛选。保存会替换全部标签。</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>键</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>&amp;Labels:</source>
        <translation>标签(&amp;L)：</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
</context>
<context>
    <name>cove::ui::detail::LifecycleDialog</name>
    <message>
        <source>Lifecycle</source>
        <translation>生命周期</translation>
    </message>
    <message>
        <source>What &quot;%1&quot; does by itself when nobody uses it. A sandbox either stops or pauses when idle, not both.</source>
        <translation>无人使用时“%1”自动执行的操作。沙箱空闲时要么停止、要么暂停，二者不能同时启用。</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>the longest interval</source>
        <translation>最长间隔</translation>
    </message>
    <message>
        <source>D&amp;elete it when stopped for</source>
        <translation>停止达到此时长后删除(&amp;E)</translation>
    </message>
    <message>
        <source>at once</source>
        <translation>立即</translation>
    </message>
    <message>
        <source>Delete it &amp;anyway after</source>
        <translation>无论状态如何，在此时长后删除(&amp;A)</translation>
    </message>
    <message>
        <source>Minutes without activity before the sandbox stops; its processes end.</source>
        <translation>无活动多少分钟后停止沙箱；其进程将结束。</translation>
    </message>
    <message>
        <source>Minutes without activity before the sandbox pauses; its processes are frozen and go on when it resumes.</source>
        <translation>无活动多少分钟后暂停沙箱；其进程被冻结，继续后从原处运行。</translation>
    </message>
    <message>
        <source>Minutes stopped before its files move to the archive.</source>
        <translation>停止多少分钟后将其文件移入归档。</translation>
    </message>
    <message>
        <source>Counted from when you press Save, whatever the sandbox does meanwhile.</source>
        <translation>从您按下“保存”时开始计时，不论沙箱在此期间处于何种状态。</translation>
    </message>
    <message>
        <source>Auto-&amp;stop:</source>
        <translation>自动停止(&amp;S)：</translation>
    </message>
    <message>
        <source>Auto-&amp;pause:</source>
        <translation>自动暂停(&amp;P)：</translation>
    </message>
    <message>
        <source>Auto-a&amp;rchive:</source>
        <translation>自动归档(&amp;R)：</translation>
    </message>
    <message>
        <source>Auto-delete</source>
        <translation>自动删除</translation>
    </message>
    <message>
        <source>Time to live</source>
        <translation>存活时间</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Delete by itself</source>
        <translation>自动删除</translation>
    </message>
    <message>
        <source>&quot;%1&quot; will be deleted by itself, with its files, when the time comes. Save these settings?</source>
        <translation>时间一到，“%1”将连同其文件被自动删除。保存这些设置？</translation>
    </message>
</context>
<context>
    <name>cove::ui::detail::LogsTab</name>
    <message>
        <source>&amp;Follow</source>
        <translation>跟随(&amp;F)</translation>
    </message>
    <message>
        <source>Output of</source>
        <translation>输出来源</translation>
    </message>
    <message>
        <source>&amp;Output of:</source>
        <translation>输出来源(&amp;O)：</translation>
    </message>
    <message>
        <source>Untick to hold the view still; new output is kept and shown when you tick it again.</source>
        <translation>取消勾选可使视图保持不动；新的输出会被保留，重新勾选时显示。</translation>
    </message>
    <message>
        <source>&amp;Reload</source>
        <translation>重新加载(&amp;R)</translation>
    </message>
    <message>
        <source>Read the list of sessions and commands again (F5)</source>
        <translation>重新读取会话和命令列表（F5）</translation>
    </message>
    <message>
        <source>C&amp;lear</source>
        <translation>清空(&amp;L)</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>No output yet.</source>
        <translation>尚无输出。</translation>
    </message>
    <message>
        <source>Cannot read the sandbox&apos;s sessions: %1 Start the sandbox, then press Reload.</source>
        <translation>无法读取沙箱的会话：%1 请启动沙箱，然后点击“重新加载”。</translation>
    </message>
    <message>
        <source>Entrypoint: %1</source>
        <translation>入口程序：%1</translation>
    </message>
    <message>
        <source>Session %1: %2</source>
        <translation>会话 %1：%2</translation>
    </message>
    <message>
        <source> (exited %1)</source>
        <translation>（已退出，退出码 %1）</translation>
    </message>
    <message>
        <source>Nothing has run in this sandbox yet: its image has no entrypoint and no session command was started.</source>
        <translation>此沙箱中尚未运行任何内容：其镜像没有入口程序，也未启动任何会话命令。</translation>
    </message>
    <message>
        <source>The command has ended; this is all of its output.</source>
        <translation>命令已结束；以上是它的全部输出。</translation>
    </message>
    <message>
        <source>The log stream was interrupted (%1). Press Reload to connect again.</source>
        <translation>日志流已中断（%1）。点击“重新加载”以重新连接。</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>Paused: new output is kept and shown when you tick Follow.</source>
        <translation>已暂停：新的输出会被保留，勾选“跟随”时显示。</translation>
    </message>
    <message>
        <source>Paused: new output waiting (%1 lines).</source>
        <translation>已暂停：有新的输出等待显示（%1 行）。</translation>
    </message>
    <message>
        <source>Following live output (the last %1 lines are kept).</source>
        <translation>正在跟随实时输出（保留最后 %1 行）。</translation>
    </message>
</context>
<context>
    <name>cove::ui::detail::MetricsTab</name>
    <message>
        <source>Last 5 minutes</source>
        <translation>最近 5 分钟</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>最近 1 小时</translation>
    </message>
    <message>
        <source>Time range</source>
        <translation>时间范围</translation>
    </message>
    <message>
        <source>&amp;Range:</source>
        <translation>范围(&amp;R)：</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>CPU use (%)</source>
        <translation>CPU 使用率（%）</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <source>Memory in use (MiB)</source>
        <translation>已用内存（MiB）</translation>
    </message>
    <message>
        <source>Disk</source>
        <translation>磁盘</translation>
    </message>
    <message>
        <source>Disk in use (GiB)</source>
        <translation>已用磁盘（GiB）</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>No metrics: %1 Metrics come from a running sandbox; start it to see them.</source>
        <translation>没有指标：%1 指标来自运行中的沙箱；请启动沙箱后查看。</translation>
    </message>
    <message>
        <source>CPU %1 % of %6 vCPU · memory %2 of %3 MiB · disk %4 of %5 GiB</source>
        <translation>CPU %1%（共 %6 个 vCPU）· 内存 %2 / %3 MiB · 磁盘 %4 / %5 GiB</translation>
    </message>
    <message>
        <source>Sampled every %1 seconds while this tab is visible, from the sandbox&apos;s own control group; before that, coved&apos;s history (a sample every 30 seconds). Disk is the sandbox&apos;s own: what its files use of its disk size.</source>
        <translation>此标签页可见时每 %1 秒采样一次，数据来自沙箱自身的控制组（cgroup）；在此之前为 coved 保存的历史（每 30 秒一个样本）。磁盘为沙箱自身的：其文件占用了其磁盘大小中的多少。</translation>
    </message>
</context>
<context>
    <name>cove::ui::detail::NameDialog</name>
    <message>
        <source>chosen by the service</source>
        <translation>由服务选择</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <source>Give a name.</source>
        <translation>请输入名称。</translation>
    </message>
    <message>
        <source>The name must not start or end with a space.</source>
        <translation>名称的开头和结尾不能是空格。</translation>
    </message>
</context>
<context>
    <name>cove::ui::detail::NetworkDialog</name>
    <message>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <source>Where &quot;%1&quot; may connect to. The organization&apos;s tier may narrow this further (tiers 1 and 2 reach only essential services).</source>
        <translation>“%1”可以连接到哪里。组织的等级可能进一步限制（等级 1 和 2 只能访问基本服务）。</translation>
    </message>
    <message>
        <source>&amp;Block all outbound traffic</source>
        <translation>阻止所有出站流量(&amp;B)</translation>
    </message>
    <message>
        <source>anywhere, e.g. 10.0.0.0/8,192.168.1.0/24</source>
        <translation>任意位置，例如 10.0.0.0/8,192.168.1.0/24</translation>
    </message>
    <message>
        <source>&amp;Only to:</source>
        <translation>仅允许到(&amp;O)：</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Strict: no essential services and no other exception</source>
        <translation>严格(&amp;S)：不放行基本服务，也没有其他例外</translation>
    </message>
    <message>
        <source>any name, e.g. example.com,*.pypi.org</source>
        <translation>任意域名，例如 example.com,*.pypi.org</translation>
    </message>
    <message>
        <source>none, e.g. ads.example.com,*.tracker.net</source>
        <translation>无，例如 ads.example.com,*.tracker.net</translation>
    </message>
    <message>
        <source>Only to the &amp;names:</source>
        <translation>仅限这些域名(&amp;N)：</translation>
    </message>
    <message>
        <source>Never to the na&amp;mes:</source>
        <translation>禁止这些域名(&amp;M)：</translation>
    </message>
    <message>
        <source>At most %1 names may be given in %2; %3 are given.</source>
        <translation>%2最多可填 %1 个域名；现有 %3 个。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; in %2 is not a name such as example.com or *.example.com (a &quot;*.&quot; may only open a name).</source>
        <translation>%2中的“%1”不是 example.com 或 *.example.com 这样的域名（“*.”只能出现在开头）。</translation>
    </message>
    <message>
        <source>the names allowed</source>
        <translation>允许的域名</translation>
    </message>
    <message>
        <source>the names blocked</source>
        <translation>禁止的域名</translation>
    </message>
</context>
<context>
    <name>cove::ui::detail::OverviewTab</name>
    <message>
        <source>not set</source>
        <translation>未设置</translation>
    </message>
    <message>
        <source>1 day</source>
        <translation>1 天</translation>
    </message>
    <message>
        <source>%1 days</source>
        <translation>%1 天</translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation>1 小时</translation>
    </message>
    <message>
        <source>%1 hours</source>
        <translation>%1 小时</translation>
    </message>
    <message>
        <source>1 minute</source>
        <translation>1 分钟</translation>
    </message>
    <message>
        <source>%1 minutes</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <source>Sandbox</source>
        <translation>沙箱</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>ID:</source>
        <translation>ID：</translation>
    </message>
    <message>
        <source>State:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <source>Error:</source>
        <translation>错误：</translation>
    </message>
    <message>
        <source>Snapshot:</source>
        <translation>快照：</translation>
    </message>
    <message>
        <source>User:</source>
        <translation>用户：</translation>
    </message>
    <message>
        <source>Region:</source>
        <translation>区域：</translation>
    </message>
    <message>
        <source>Resources</source>
        <translation>资源</translation>
    </message>
    <message>
        <source>CPU:</source>
        <translation>CPU：</translation>
    </message>
    <message>
        <source>Memory:</source>
        <translation>内存：</translation>
    </message>
    <message>
        <source>Disk:</source>
        <translation>磁盘：</translation>
    </message>
    <message>
        <source>GPU:</source>
        <translation>GPU：</translation>
    </message>
    <message>
        <source>Configuration</source>
        <translation>配置</translation>
    </message>
    <message>
        <source>Labels:</source>
        <translation>标签：</translation>
    </message>
    <message>
        <source>Environment:</source>
        <translation>环境变量：</translation>
    </message>
    <message>
        <source>Public:</source>
        <translation>公开：</translation>
    </message>
    <message>
        <source>Lifecycle</source>
        <translation>生命周期</translation>
    </message>
    <message>
        <source>Auto-stop:</source>
        <translation>自动停止：</translation>
    </message>
    <message>
        <source>Auto-archive:</source>
        <translation>自动归档：</translation>
    </message>
    <message>
        <source>Auto-delete:</source>
        <translation>自动删除：</translation>
    </message>
    <message>
        <source>Created:</source>
        <translation>创建时间：</translation>
    </message>
    <message>
        <source>Updated:</source>
        <translation>更新时间：</translation>
    </message>
    <message>
        <source>Last activity:</source>
        <translation>最近活动：</translation>
    </message>
    <message>
        <source>Storage</source>
        <translation>存储</translation>
    </message>
    <message>
        <source>Volumes:</source>
        <translation>存储卷：</translation>
    </message>
    <message>
        <source>Sandbox %1 no longer exists; it was deleted.</source>
        <translation>沙箱 %1 已不存在；它已被删除。</translation>
    </message>
    <message>
        <source> (becoming %1)</source>
        <translation>（正在变为%1）</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>%1 vCPU</source>
        <translation>%1 个 vCPU</translation>
    </message>
    <message>
        <source>%1 GiB</source>
        <translation>%1 GiB</translation>
    </message>
    <message>
        <source> (disk limit not enforced: the Docker storage driver cannot cap a container&apos;s disk)</source>
        <translation>（磁盘限制未生效：Docker 存储驱动无法限制容器的磁盘用量）</translation>
    </message>
    <message>
        <source>yes: preview URLs open without a token</source>
        <translation>是：无需令牌即可打开预览链接</translation>
    </message>
    <message>
        <source>no: preview URLs need the sandbox&apos;s token</source>
        <translation>否：打开预览链接需要沙箱的令牌</translation>
    </message>
    <message>
        <source>all outbound traffic blocked</source>
        <translation>已阻止所有出站流量</translation>
    </message>
    <message>
        <source>outbound traffic only to %1</source>
        <translation>仅允许出站流量到 %1</translation>
    </message>
    <message>
        <source>unrestricted</source>
        <translation>不受限制</translation>
    </message>
    <message>
        <source>off (never stops by itself)</source>
        <translation>关闭（不会自动停止）</translation>
    </message>
    <message>
        <source>off (the longest interval applies)</source>
        <translation>关闭（采用最长间隔）</translation>
    </message>
    <message>
        <source>as soon as it stops</source>
        <translation>停止后立即删除</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>%1 at %2</source>
        <translation>%1，挂载于 %2</translation>
    </message>
    <message>
        <source> (subfolder %1)</source>
        <translation>（子文件夹 %1）</translation>
    </message>
    <message>
        <source>only essential services (package registries, Git hosts, AI APIs): tiers 1 and 2 ignore the sandbox&apos;s own list</source>
        <translation>仅限基本服务（软件包源、Git 托管、AI API）：等级 1 和 2 不采用沙箱自己的列表</translation>
    </message>
    <message>
        <source>%1 (deleted)</source>
        <translation>%1（已删除）</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>in progress</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Auto-pause:</source>
        <translation>自动暂停：</translation>
    </message>
    <message>
        <source>Time to live:</source>
        <translation>存活时间：</translation>
    </message>
    <message>
        <source>Backup:</source>
        <translation>备份：</translation>
    </message>
    <message>
        <source>Lineage</source>
        <translation>派生关系</translation>
    </message>
    <message>
        <source>Forked from:</source>
        <translation>派生自：</translation>
    </message>
    <message>
        <source>Ancestors:</source>
        <translation>祖先：</translation>
    </message>
    <message>
        <source>Forks:</source>
        <translation>派生：</translation>
    </message>
    <message>
        <source>not known: %1</source>
        <translation>未知：%1</translation>
    </message>
    <message>
        <source>reading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <source>none: this sandbox is not a fork</source>
        <translation>无：此沙箱不是派生出来的</translation>
    </message>
    <message>
        <source>off (never pauses by itself)</source>
        <translation>关闭（不会自动暂停）</translation>
    </message>
    <message>
        <source>deleted at %1 (%2), whatever its state</source>
        <translation>将于 %1（%2）删除，不论其状态如何</translation>
    </message>
    <message>
        <source>never backed up</source>
        <translation>从未备份</translation>
    </message>
    <message>
        <source>%1, %2 (%3)</source>
        <translation>%1，%2（%3）</translation>
    </message>
    <message>
        <source>only to the names %1</source>
        <translation>仅限域名 %1</translation>
    </message>
    <message>
        <source>only to the names %1 and to %2</source>
        <translation>仅限域名 %1 以及 %2</translation>
    </message>
    <message>
        <source>; never to %1</source>
        <translation>；禁止 %1</translation>
    </message>
    <message>
        <source>; strict, with no exception</source>
        <translation>；严格模式，无任何例外</translation>
    </message>
    <message>
        <source>; through the egress proxy</source>
        <translation>；经由出站代理</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <source>Egress enforced:</source>
        <translation>实际出站策略：</translation>
    </message>
    <message>
        <source>Names allowed:</source>
        <translation>允许的域名：</translation>
    </message>
    <message>
        <source>Names blocked:</source>
        <translation>禁止的域名：</translation>
    </message>
    <message>
        <source>Strict mode:</source>
        <translation>严格模式：</translation>
    </message>
    <message>
        <source>Secrets in use:</source>
        <translation>使用的密钥：</translation>
    </message>
    <message>
        <source>Linked to:</source>
        <translation>链接到：</translation>
    </message>
    <message>
        <source>Followers:</source>
        <translation>跟随者：</translation>
    </message>
    <message>
        <source>unavailable</source>
        <translation>不可用</translation>
    </message>
    <message>
        <source>on: no essential services and no other exception</source>
        <translation>开启：不放行基本服务，也没有其他例外</translation>
    </message>
    <message>
        <source>none: this sandbox follows no other</source>
        <translation>无：此沙箱未链接到其他沙箱</translation>
    </message>
    <message>
        <source>%1: secret %2, sent nowhere (it names no hosts)</source>
        <translation>%1：机密 %2，不会发送到任何地方（它未指定主机）</translation>
    </message>
    <message>
        <source>%1: secret %2, sent only to %3</source>
        <translation>%1：机密 %2，仅发送到 %3</translation>
    </message>
</context>
<context>
    <name>cove::ui::detail::PreviewTab</name>
    <message>
        <source>&amp;Open</source>
        <translation>打开(&amp;O)</translation>
    </message>
    <message>
        <source>Re&amp;load</source>
        <translation>重新加载(&amp;L)</translation>
    </message>
    <message>
        <source>Open in &amp;browser</source>
        <translation>在浏览器中打开(&amp;B)</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>A port from %1 to %2 that a server in the sandbox listens on</source>
        <translation>沙箱中服务器监听的端口（%1 到 %2）</translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation>端口(&amp;P)：</translation>
    </message>
    <message>
        <source>Load the page again</source>
        <translation>重新加载页面</translation>
    </message>
    <message>
        <source>Open a signed link, valid for an hour, in your web browser</source>
        <translation>在网页浏览器中打开一个有效期为一小时的签名链接</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>The page at port %1 did not load. Is a server listening on 0.0.0.0:%1 in the sandbox? Start it, then press Reload.</source>
        <translation>端口 %1 上的页面未能加载。沙箱中是否有服务器在监听 0.0.0.0:%1？请启动它，然后点击“重新加载”。</translation>
    </message>
    <message>
        <source>Choose a port and press Open to see what the sandbox serves there.</source>
        <translation>选择一个端口并点击“打开”，即可查看沙箱在该端口上提供的内容。</translation>
    </message>
    <message>
        <source>A server listens on this port</source>
        <translation>有服务器在监听此端口</translation>
    </message>
    <message>
        <source>Previews reach ports %1 to %2; choose a port in that range.</source>
        <translation>预览只能访问 %1 到 %2 的端口；请在此范围内选择端口。</translation>
    </message>
    <message>
        <source>No preview of port %1: %2</source>
        <translation>无法预览端口 %1：%2</translation>
    </message>
    <message>
        <source>No signed link: %1</source>
        <translation>无法获取签名链接：%1</translation>
    </message>
    <message>
        <source>No web browser could be started. Open this link yourself: %1</source>
        <translation>无法启动网页浏览器。请自行打开此链接：%1</translation>
    </message>
</context>
<context>
    <name>cove::ui::detail::RecordingsPanel</name>
    <message>
        <source>Recordings</source>
        <translation>录屏</translation>
    </message>
    <message>
        <source>Record the desktop to a video file in the sandbox</source>
        <translation>把桌面录制成沙箱里的视频文件</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>The recordings could not be read: %1</source>
        <translation>无法读取录屏列表：%1</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>recording…</source>
        <translation>录制中…</translation>
    </message>
    <message>
        <source>Recording</source>
        <translation>录制中</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>The desktop is not running. Press Start desktop above, then start recording.</source>
        <translation>桌面未运行。请先按上方的“启动桌面”，再开始录屏。</translation>
    </message>
    <message>
        <source>The recording did not start: %1</source>
        <translation>录屏未能开始：%1</translation>
    </message>
    <message>
        <source>The recording did not stop: %1</source>
        <translation>录屏未能停止：%1</translation>
    </message>
    <message>
        <source>Delete recording</source>
        <translation>删除录屏</translation>
    </message>
    <message>
        <source>Delete the recording %1? Its video file is removed from the sandbox.</source>
        <translation>删除录屏 %1？它的视频文件会从沙箱中移除。</translation>
    </message>
    <message>
        <source>The recording could not be deleted: %1</source>
        <translation>无法删除录屏：%1</translation>
    </message>
    <message>
        <source>Save %1 as</source>
        <translation>将 %1 另存为</translation>
    </message>
    <message>
        <source>MP4 video (*.mp4)</source>
        <translation>MP4 视频 (*.mp4)</translation>
    </message>
    <message>
        <source>No temporary folder can be made to play the recording; use Download… and open the file yourself.</source>
        <translation>无法创建用于播放录屏的临时文件夹；请用“下载…”保存后自行打开文件。</translation>
    </message>
    <message>
        <source>The recording could not be downloaded: %1</source>
        <translation>无法下载录屏：%1</translation>
    </message>
    <message>
        <source>No application on this computer opens MP4 videos. Use Download… and play the file with a video player.</source>
        <translation>本机没有能打开 MP4 视频的应用。请用“下载…”保存后用视频播放器播放。</translation>
    </message>
    <message>
        <source>Start recordin&amp;g</source>
        <translation>开始录屏(&amp;G)</translation>
    </message>
    <message>
        <source>Stop r&amp;ecording</source>
        <translation>停止录屏(&amp;E)</translation>
    </message>
    <message>
        <source>Pla&amp;y</source>
        <translation>播放(&amp;Y)</translation>
    </message>
    <message>
        <source>Open the selected recording with this computer&apos;s video player (Enter)</source>
        <translation>用本机的视频播放器打开选中的录屏（Enter）</translation>
    </message>
    <message>
        <source>Download…</source>
        <translation>下载…</translation>
    </message>
    <message>
        <source>Save the selected recording on this computer (%1)</source>
        <translation>把选中的录屏保存到本机（%1）</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Delete the selected recording from the sandbox (Del)</source>
        <translation>从沙箱中删除选中的录屏（Del）</translation>
    </message>
</context>
<context>
    <name>cove::ui::detail::ResizeDialog</name>
    <message>
        <source>Resize sandbox</source>
        <translation>调整沙箱大小</translation>
    </message>
    <message>
        <source>CPU and memory change at once, even while &quot;%1&quot; runs. The disk can only grow: a smaller disk would lose files.</source>
        <translation>CPU 和内存会立即更改，即使“%1”正在运行。磁盘只能增大：缩小磁盘会丢失文件。</translation>
    </message>
    <message>
        <source> vCPU</source>
        <translation> vCPU</translation>
    </message>
    <message>
        <source> GiB</source>
        <translation> GiB</translation>
    </message>
    <message>
        <source>&amp;CPU:</source>
        <translation>CPU(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;Memory:</source>
        <translation>内存(&amp;M)：</translation>
    </message>
    <message>
        <source>&amp;Disk:</source>
        <translation>磁盘(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Resize</source>
        <translation>调整大小(&amp;R)</translation>
    </message>
</context>
<context>
    <name>cove::ui::detail::SandboxActions</name>
    <message>
        <source>The sandbox was resized.</source>
        <translation>沙箱大小已调整。</translation>
    </message>
    <message>
        <source>The labels were saved.</source>
        <translation>标签已保存。</translation>
    </message>
    <message>
        <source>The lifecycle settings were saved.</source>
        <translation>生命周期设置已保存。</translation>
    </message>
    <message>
        <source>The network settings were saved.</source>
        <translation>网络设置已保存。</translation>
    </message>
    <message>
        <source>Pa&amp;use</source>
        <translation>暂停(&amp;U)</translation>
    </message>
    <message>
        <source>Freeze the sandbox&apos;s processes; Resume lets them go on where they were.</source>
        <translation>冻结沙箱的进程；“继续”会让它们从原处接着运行。</translation>
    </message>
    <message>
        <source>Res&amp;ume</source>
        <translation>继续(&amp;U)</translation>
    </message>
    <message>
        <source>Reco&amp;ver</source>
        <translation>修复(&amp;V)</translation>
    </message>
    <message>
        <source>Restart the sandbox&apos;s container after an error; its files stay.</source>
        <translation>出错后重新启动沙箱的容器；其文件保留。</translation>
    </message>
    <message>
        <source>&amp;Fork…</source>
        <translation>派生(&amp;F)…</translation>
    </message>
    <message>
        <source>Make a new, started sandbox with a copy of this one&apos;s files.</source>
        <translation>用此沙箱文件的副本创建一个新的、已启动的沙箱。</translation>
    </message>
    <message>
        <source>&amp;Back up</source>
        <translation>备份(&amp;B)</translation>
    </message>
    <message>
        <source>Create &amp;snapshot…</source>
        <translation>创建快照(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Resize…</source>
        <translation>调整大小(&amp;R)…</translation>
    </message>
    <message>
        <source>&amp;Labels…</source>
        <translation>标签(&amp;L)…</translation>
    </message>
    <message>
        <source>&amp;Public previews</source>
        <translation>公开预览(&amp;P)</translation>
    </message>
    <message>
        <source>Whether the sandbox&apos;s preview URLs open without its token.</source>
        <translation>沙箱的预览 URL 是否无需令牌即可打开。</translation>
    </message>
    <message>
        <source>Life&amp;cycle…</source>
        <translation>生命周期(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Network…</source>
        <translation>网络(&amp;N)…</translation>
    </message>
    <message>
        <source>Act&amp;ions</source>
        <translation>操作(&amp;I)</translation>
    </message>
    <message>
        <source>Sandbox actions</source>
        <translation>沙箱操作</translation>
    </message>
    <message>
        <source>%1 Try again when the service is back.</source>
        <translation>%1 服务恢复后请重试。</translation>
    </message>
    <message>
        <source>Pausing…</source>
        <translation>正在暂停…</translation>
    </message>
    <message>
        <source>The sandbox is paused.</source>
        <translation>沙箱已暂停。</translation>
    </message>
    <message>
        <source>Resuming…</source>
        <translation>正在继续…</translation>
    </message>
    <message>
        <source>The sandbox runs again.</source>
        <translation>沙箱已重新运行。</translation>
    </message>
    <message>
        <source>Recovering: restarting the container…</source>
        <translation>正在修复：重新启动容器…</translation>
    </message>
    <message>
        <source>The sandbox was recovered and runs again.</source>
        <translation>沙箱已修复并重新运行。</translation>
    </message>
    <message>
        <source>Backing up…</source>
        <translation>正在备份…</translation>
    </message>
    <message>
        <source>The sandbox was backed up.</source>
        <translation>沙箱已备份。</translation>
    </message>
    <message>
        <source>Public previews</source>
        <translation>公开预览</translation>
    </message>
    <message>
        <source>Anyone who has a preview URL of &quot;%1&quot; can then open it, without the sandbox&apos;s token. Make its previews public?</source>
        <translation>之后任何拥有“%1”预览 URL 的人都无需沙箱令牌即可打开。要公开其预览吗？</translation>
    </message>
    <message>
        <source>Making the previews public…</source>
        <translation>正在公开预览…</translation>
    </message>
    <message>
        <source>Making the previews private…</source>
        <translation>正在将预览设为私有…</translation>
    </message>
    <message>
        <source>The previews are public.</source>
        <translation>预览已公开。</translation>
    </message>
    <message>
        <source>The previews need the sandbox&apos;s token.</source>
        <translation>预览需要沙箱的令牌。</translation>
    </message>
    <message>
        <source>Fork sandbox</source>
        <translation>派生沙箱</translation>
    </message>
    <message>
        <source>The fork is a new sandbox with a copy of &quot;%1&quot;&apos;s files, started. The two go their own ways from then on; the Overview shows which came from which.</source>
        <translation>派生出的是一个新的、已启动的沙箱，带有“%1”文件的副本。此后两者各自独立；“概览”会显示谁派生自谁。</translation>
    </message>
    <message>
        <source>&amp;Fork</source>
        <translation>派生(&amp;F)</translation>
    </message>
    <message>
        <source>Sandbox forked</source>
        <translation>沙箱已派生</translation>
    </message>
    <message>
        <source>The fork &quot;%1&quot; was made. Open it now?</source>
        <translation>已创建派生沙箱“%1”。现在打开吗？</translation>
    </message>
    <message>
        <source>The sandbox was forked.</source>
        <translation>沙箱已派生。</translation>
    </message>
    <message>
        <source>Create snapshot</source>
        <translation>创建快照</translation>
    </message>
    <message>
        <source>A snapshot of &quot;%1&quot;&apos;s files, for new sandboxes to start from. The sandbox shows &quot;Snapshotting&quot; meanwhile; the Snapshots page lists the snapshot.</source>
        <translation>为“%1”的文件创建快照，供新沙箱从中启动。在此期间沙箱显示“正在创建快照”；“快照”页面会列出该快照。</translation>
    </message>
    <message>
        <source>&amp;Create</source>
        <translation>创建(&amp;C)</translation>
    </message>
    <message>
        <source>The snapshot is being made; the Snapshots page shows its progress.</source>
        <translation>正在创建快照；“快照”页面会显示进度。</translation>
    </message>
</context>
<context>
    <name>cove::ui::kit</name>
    <message>
        <source>Custom quota</source>
        <translation>自定义配额</translation>
    </message>
    <message>
        <source>Tier %1</source>
        <translation>等级 %1</translation>
    </message>
</context>
<context>
    <name>cove::ui::playground::OutputPane</name>
    <message>
        <source>Press Run (Ctrl+Return) to run the code in the playground sandbox.</source>
        <translation>按“运行”(Ctrl+Return) 在演练沙箱中运行代码。</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>The output appears here.</source>
        <translation>输出显示在这里。</translation>
    </message>
    <message>
        <source>Charts</source>
        <translation>图表</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>Exit code %1 · %2</source>
        <translation>退出码 %1 · %2</translation>
    </message>
    <message numerus="yes">
        <source>%n chart(s)</source>
        <translation>
            <numerusform>%n 个图表</numerusform>
        </translation>
    </message>
    <message>
        <source>The output was truncated: the first %1 of %2 are shown.</source>
        <translation>输出已截断：只显示了 %2 中的前 %1。</translation>
    </message>
    <message>
        <source>Chart %1</source>
        <translation>图表 %1</translation>
    </message>
    <message>
        <source>Chart: %1</source>
        <translation>图表：%1</translation>
    </message>
    <message>
        <source>This chart&apos;s image could not be read.</source>
        <translation>无法读取此图表的图像。</translation>
    </message>
</context>
<context>
    <name>cove::ui::playground::PlaygroundPage</name>
    <message>
        <source>&amp;Open a terminal</source>
        <translation>打开终端(&amp;O)</translation>
    </message>
    <message>
        <source>A shell in the playground sandbox. It is created with the Management parameters of the Sandbox tab when there is none yet.</source>
        <translation>演练沙箱中的 Shell。如果还没有演练沙箱，会按“沙箱”选项卡中的管理参数创建一个。</translation>
    </message>
    <message>
        <source>Sand&amp;box</source>
        <translation>沙箱(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Terminal</source>
        <translation>终端(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;VNC</source>
        <translation>VNC(&amp;V)</translation>
    </message>
    <message>
        <source>Playground</source>
        <translation>演练场</translation>
    </message>
    <message>
        <source>Try sandboxes without writing a program: run code and commands, work with files and Git, open a terminal or a desktop. Everything runs in one playground sandbox that stops by itself when left alone.</source>
        <translation>无需编写程序即可试用沙箱：运行代码和命令，操作文件和 Git，打开终端或桌面。所有操作都在同一个演练沙箱中进行，闲置时它会自动停止。</translation>
    </message>
    <message>
        <source>Preparing the playground sandbox…</source>
        <translation>正在准备演练沙箱…</translation>
    </message>
    <message>
        <source>A shell in the playground sandbox %1. Open a new one with the button.</source>
        <translation>演练沙箱 %1 中的 Shell。点击按钮可再打开一个。</translation>
    </message>
    <message>
        <source>&amp;Open a new terminal</source>
        <translation>打开新终端(&amp;O)</translation>
    </message>
</context>
<context>
    <name>cove::ui::playground::PlaygroundSandbox</name>
    <message>
        <source>the snapshot changed from %1 to %2</source>
        <translation>快照已从 %1 改为 %2</translation>
    </message>
    <message>
        <source>the resources changed</source>
        <translation>资源已更改</translation>
    </message>
    <message>
        <source>Looking for the playground sandbox…</source>
        <translation>正在查找演练沙箱…</translation>
    </message>
    <message>
        <source>it is in an error state</source>
        <translation>它处于错误状态</translation>
    </message>
    <message>
        <source>Replacing the playground sandbox (%1)…</source>
        <translation>正在替换演练沙箱（%1）…</translation>
    </message>
    <message>
        <source>The old playground sandbox could not be deleted: %1</source>
        <translation>无法删除旧的演练沙箱：%1</translation>
    </message>
    <message>
        <source>Waiting for the playground sandbox (%1)…</source>
        <translation>正在等待演练沙箱（%1）…</translation>
    </message>
    <message>
        <source>The playground sandbox is %1; it cannot run code now.</source>
        <translation>演练沙箱处于 %1 状态，现在无法运行代码。</translation>
    </message>
    <message>
        <source>Creating the playground sandbox from %1…</source>
        <translation>正在从 %1 创建演练沙箱…</translation>
    </message>
    <message>
        <source>The playground sandbox could not be created: %1</source>
        <translation>无法创建演练沙箱：%1</translation>
    </message>
    <message>
        <source>Starting the playground sandbox…</source>
        <translation>正在启动演练沙箱…</translation>
    </message>
    <message>
        <source>The playground sandbox could not be started: %1</source>
        <translation>无法启动演练沙箱：%1</translation>
    </message>
    <message>
        <source>The playground sandbox did not become ready within three minutes; look at it on the Sandboxes page.</source>
        <translation>演练沙箱在三分钟内未就绪，请在“沙箱”页面查看。</translation>
    </message>
    <message>
        <source>The playground sandbox failed: %1</source>
        <translation>演练沙箱出错：%1</translation>
    </message>
    <message>
        <source>An interval could not be changed: %1</source>
        <translation>无法更改间隔：%1</translation>
    </message>
</context>
<context>
    <name>cove::ui::playground::SandboxTab</name>
    <message>
        <source> vCPU</source>
        <translation> vCPU</translation>
    </message>
    <message>
        <source> GiB</source>
        <translation> GiB</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>Create f&amp;older</source>
        <translation>创建文件夹(&amp;O)</translation>
    </message>
    <message>
        <source>L&amp;ist</source>
        <translation>列出(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>删除(&amp;D)…</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>停止(&amp;S)</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从不</translation>
    </message>
    <message>
        <source>as soon as it stops</source>
        <translation>停止后立即</translation>
    </message>
    <message>
        <source>Minutes without activity before the playground sandbox stops; 0 keeps it running.</source>
        <translation>演练沙箱无活动多少分钟后停止；0 表示一直运行。</translation>
    </message>
    <message>
        <source>Minutes stopped before the sandbox is archived.</source>
        <translation>沙箱停止多少分钟后归档。</translation>
    </message>
    <message>
        <source>Minutes stopped before the sandbox is deleted; -1 never, 0 as it stops.</source>
        <translation>沙箱停止多少分钟后删除；-1 表示从不，0 表示停止时立即删除。</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Seconds a run or command may take before the sandbox ends it; 0 for no limit.</source>
        <translation>运行或命令最多可用的秒数，超时后沙箱将其结束；0 表示不限。</translation>
    </message>
    <message>
        <source>No playground sandbox yet: the first Run creates one.</source>
        <translation>还没有演练沙箱：第一次运行时会创建。</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Run the code in the playground sandbox (Ctrl+Return)</source>
        <translation>在演练沙箱中运行代码 (Ctrl+Return)</translation>
    </message>
    <message>
        <source>Stop the run: end its request and its processes (Shift+Esc)</source>
        <translation>停止运行：结束请求及其进程 (Shift+Esc)</translation>
    </message>
    <message>
        <source>Playground sandbox: %1 (from %2)</source>
        <translation>演练沙箱：%1（来自 %2）</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>S&amp;napshot</source>
        <translation>快照(&amp;N)</translation>
    </message>
    <message>
        <source>C&amp;PU</source>
        <translation>CPU(&amp;P)</translation>
    </message>
    <message>
        <source>M&amp;emory</source>
        <translation>内存(&amp;E)</translation>
    </message>
    <message>
        <source>Dis&amp;k</source>
        <translation>磁盘(&amp;K)</translation>
    </message>
    <message>
        <source>Auto-s&amp;top after</source>
        <translation>自动停止(&amp;T)</translation>
    </message>
    <message>
        <source>Auto-&amp;archive after</source>
        <translation>自动归档(&amp;A)</translation>
    </message>
    <message>
        <source>Auto-d&amp;elete after</source>
        <translation>自动删除(&amp;E)</translation>
    </message>
    <message>
        <source>Management</source>
        <translation>管理</translation>
    </message>
    <message>
        <source>relative to the home folder, or absolute</source>
        <translation>相对于主文件夹，或绝对路径</translation>
    </message>
    <message>
        <source>Pat&amp;h</source>
        <translation>路径(&amp;H)</translation>
    </message>
    <message>
        <source>File system</source>
        <translation>文件系统</translation>
    </message>
    <message>
        <source>e.g. https://github.com/octocat/Hello-World.git</source>
        <translation>例如 https://github.com/octocat/Hello-World.git</translation>
    </message>
    <message>
        <source>default branch</source>
        <translation>默认分支</translation>
    </message>
    <message>
        <source>Repository &amp;URL</source>
        <translation>仓库 URL(&amp;U)</translation>
    </message>
    <message>
        <source>Clone &amp;into</source>
        <translation>克隆到(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;Branch</source>
        <translation>分支(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Clone</source>
        <translation>克隆(&amp;C)</translation>
    </message>
    <message>
        <source>Stat&amp;us</source>
        <translation>状态(&amp;U)</translation>
    </message>
    <message>
        <source>Branc&amp;hes</source>
        <translation>分支列表(&amp;H)</translation>
    </message>
    <message>
        <source>Git</source>
        <translation>Git</translation>
    </message>
    <message>
        <source>Co&amp;mmand</source>
        <translation>命令(&amp;M)</translation>
    </message>
    <message>
        <source>T&amp;imeout</source>
        <translation>超时(&amp;I)</translation>
    </message>
    <message>
        <source>Run c&amp;ommand</source>
        <translation>运行命令(&amp;O)</translation>
    </message>
    <message>
        <source>Run &amp;code (Ctrl+Return)</source>
        <translation>运行代码(&amp;C) (Ctrl+Return)</translation>
    </message>
    <message>
        <source>Process &amp;&amp; code execution</source>
        <translation>进程和代码执行</translation>
    </message>
    <message>
        <source>Nothing to run</source>
        <translation>没有可运行的内容</translation>
    </message>
    <message>
        <source>Write some code in the editor first.</source>
        <translation>请先在编辑器中编写代码。</translation>
    </message>
    <message>
        <source>Running the code…</source>
        <translation>正在运行代码…</translation>
    </message>
    <message>
        <source>No command</source>
        <translation>没有命令</translation>
    </message>
    <message>
        <source>Type a command, e.g. ls -la, first.</source>
        <translation>请先输入命令，例如 ls -la。</translation>
    </message>
    <message>
        <source>Running the command…</source>
        <translation>正在运行命令…</translation>
    </message>
    <message>
        <source>Preparing the playground sandbox…</source>
        <translation>正在准备演练沙箱…</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>The run was stopped before it started.</source>
        <translation>运行在开始前已停止。</translation>
    </message>
    <message>
        <source>The playground sandbox is not ready</source>
        <translation>演练沙箱未就绪</translation>
    </message>
    <message>
        <source>Timed out after %1 s</source>
        <translation>%1 秒后超时</translation>
    </message>
    <message>
        <source>The run failed</source>
        <translation>运行失败</translation>
    </message>
    <message>
        <source>Raise the Timeout under Process &amp; code execution, or set it to none.</source>
        <translation>请调高“进程和代码执行”中的超时，或设为无。</translation>
    </message>
    <message>
        <source>Stopping once the sandbox is ready…</source>
        <translation>沙箱就绪后即停止…</translation>
    </message>
    <message>
        <source>Stopping: ending the run&apos;s processes…</source>
        <translation>正在停止：结束运行的进程…</translation>
    </message>
    <message>
        <source>Stopped after %1 s</source>
        <translation>%1 秒后已停止</translation>
    </message>
    <message>
        <source>The run was stopped and its processes were ended.</source>
        <translation>运行已停止，其进程已结束。</translation>
    </message>
    <message>
        <source>Stopped, but its processes may still run</source>
        <translation>已停止，但其进程可能仍在运行</translation>
    </message>
    <message>
        <source>The request was ended, but ending its processes failed: %1</source>
        <translation>请求已结束，但结束其进程失败：%1</translation>
    </message>
    <message>
        <source>That did not work</source>
        <translation>操作未成功</translation>
    </message>
    <message>
        <source>Type a path first, e.g. projects/demo.</source>
        <translation>请先输入路径，例如 projects/demo。</translation>
    </message>
    <message>
        <source>No folder to create</source>
        <translation>没有要创建的文件夹</translation>
    </message>
    <message>
        <source>Creating the folder %1…</source>
        <translation>正在创建文件夹 %1…</translation>
    </message>
    <message>
        <source>Created the folder %1</source>
        <translation>已创建文件夹 %1</translation>
    </message>
    <message>
        <source>Listing %1…</source>
        <translation>正在列出 %1…</translation>
    </message>
    <message>
        <source>the home folder</source>
        <translation>主文件夹</translation>
    </message>
    <message numerus="yes">
        <source>%n entry(s) in %1</source>
        <translation>
            <numerusform>%1 中有 %n 项</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing to delete</source>
        <translation>没有要删除的内容</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Delete %1 in the playground sandbox, with everything in it?</source>
        <translation>删除演练沙箱中的 %1 及其全部内容?</translation>
    </message>
    <message>
        <source>Deleting %1…</source>
        <translation>正在删除 %1…</translation>
    </message>
    <message>
        <source>Deleted %1</source>
        <translation>已删除 %1</translation>
    </message>
    <message>
        <source>Nothing to clone</source>
        <translation>没有要克隆的内容</translation>
    </message>
    <message>
        <source>Type the repository URL and the folder to clone into.</source>
        <translation>请输入仓库 URL 和要克隆到的文件夹。</translation>
    </message>
    <message>
        <source>Cloning %1…</source>
        <translation>正在克隆 %1…</translation>
    </message>
    <message>
        <source>Cloned %1 into %2</source>
        <translation>已将 %1 克隆到 %2</translation>
    </message>
    <message>
        <source>Reading the status of %1…</source>
        <translation>正在读取 %1 的状态…</translation>
    </message>
    <message>
        <source>Git status of %1</source>
        <translation>%1 的 Git 状态</translation>
    </message>
    <message>
        <source>Listing the branches of %1…</source>
        <translation>正在列出 %1 的分支…</translation>
    </message>
    <message>
        <source>Branches of %1</source>
        <translation>%1 的分支</translation>
    </message>
</context>
<context>
    <name>cove::ui::playground::SnippetView</name>
    <message>
        <source>Python SDK code</source>
        <translation>Python SDK 代码</translation>
    </message>
    <message>
        <source>TypeScript SDK code</source>
        <translation>TypeScript SDK 代码</translation>
    </message>
    <message>
        <source>Cop&amp;y</source>
        <translation>复制(&amp;Y)</translation>
    </message>
    <message>
        <source>Python SDK</source>
        <translation>Python SDK</translation>
    </message>
    <message>
        <source>TypeScript SDK</source>
        <translation>TypeScript SDK</translation>
    </message>
    <message>
        <source>Copy the shown SDK code to the clipboard</source>
        <translation>将显示的 SDK 代码复制到剪贴板</translation>
    </message>
    <message>
        <source>The same with the Daytona SDK</source>
        <translation>用 Daytona SDK 实现同样的操作</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
</context>
<context>
    <name>cove::ui::playground::VncTab</name>
    <message>
        <source>&amp;Use the cove-desktop snapshot</source>
        <translation>使用 cove-desktop 快照(&amp;U)</translation>
    </message>
    <message>
        <source>left</source>
        <translation>左</translation>
    </message>
    <message>
        <source>middle</source>
        <translation>中</translation>
    </message>
    <message>
        <source>right</source>
        <translation>右</translation>
    </message>
    <message>
        <source>down</source>
        <translation>下</translation>
    </message>
    <message>
        <source>up</source>
        <translation>上</translation>
    </message>
    <message>
        <source>An X key name such as Return, Escape, Tab, F5 or a letter</source>
        <translation>X 键名，例如 Return、Escape、Tab、F5 或一个字母</translation>
    </message>
    <message>
        <source>Keys joined by +, such as ctrl+c or ctrl+alt+t</source>
        <translation>用 + 连接的按键，例如 ctrl+c 或 ctrl+alt+t</translation>
    </message>
    <message>
        <source>Desktop</source>
        <translation>桌面</translation>
    </message>
    <message>
        <source>Start des&amp;ktop</source>
        <translation>启动桌面(&amp;K)</translation>
    </message>
    <message>
        <source>Display &amp;info</source>
        <translation>显示器信息(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;Screenshot</source>
        <translation>截图(&amp;S)</translation>
    </message>
    <message>
        <source>Keyboard</source>
        <translation>键盘</translation>
    </message>
    <message>
        <source>&amp;Type</source>
        <translation>输入(&amp;T)</translation>
    </message>
    <message>
        <source>Te&amp;xt</source>
        <translation>文本(&amp;X)</translation>
    </message>
    <message>
        <source>&amp;Press</source>
        <translation>按下(&amp;P)</translation>
    </message>
    <message>
        <source>Ke&amp;y</source>
        <translation>按键(&amp;Y)</translation>
    </message>
    <message>
        <source>Sen&amp;d hotkey</source>
        <translation>发送快捷键(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Hotkey</source>
        <translation>快捷键(&amp;H)</translation>
    </message>
    <message>
        <source>Mouse</source>
        <translation>鼠标</translation>
    </message>
    <message>
        <source>x</source>
        <translation>x</translation>
    </message>
    <message>
        <source>y</source>
        <translation>y</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>Butto&amp;n</source>
        <translation>按钮(&amp;N)</translation>
    </message>
    <message>
        <source>Scro&amp;ll</source>
        <translation>滚动方向(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Move</source>
        <translation>移动(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Click</source>
        <translation>点击(&amp;C)</translation>
    </message>
    <message>
        <source>Scr&amp;oll</source>
        <translation>滚动(&amp;O)</translation>
    </message>
    <message>
        <source>Screenshot</source>
        <translation>截图</translation>
    </message>
    <message>
        <source>No screenshot yet.</source>
        <translation>还没有截图。</translation>
    </message>
    <message>
        <source>The playground sandbox is made from %1, which has no desktop. These actions need a sandbox from the %2 snapshot: choose it under Management on the Sandbox tab (the playground sandbox is then replaced), or press the button.</source>
        <translation>演练沙箱由 %1 创建，它没有桌面。这些操作需要由 %2 快照创建的沙箱：请在“沙箱”选项卡的“管理”中选择它（演练沙箱随后会被替换），或点击右侧按钮。</translation>
    </message>
    <message>
        <source>The next action replaces the playground sandbox (made from %1) with one from %2.</source>
        <translation>下一个操作会用由 %2 创建的沙箱替换演练沙箱（由 %1 创建）。</translation>
    </message>
    <message>
        <source>Press Start desktop first; the keyboard, mouse and screenshot actions need it running.</source>
        <translation>请先点击“启动桌面”；键盘、鼠标和截图操作需要桌面在运行。</translation>
    </message>
    <message>
        <source>Press Start desktop first.</source>
        <translation>请先点击“启动桌面”。</translation>
    </message>
    <message>
        <source>Use the cove-desktop snapshot.</source>
        <translation>请使用 cove-desktop 快照。</translation>
    </message>
    <message>
        <source>Starting the desktop (Xvfb, a window manager and VNC)…</source>
        <translation>正在启动桌面（Xvfb、窗口管理器和 VNC）…</translation>
    </message>
    <message>
        <source>The desktop is running.</source>
        <translation>桌面正在运行。</translation>
    </message>
    <message>
        <source>Reading the display…</source>
        <translation>正在读取显示器…</translation>
    </message>
    <message>
        <source>Display %1: %2×%3 at %4,%5</source>
        <translation>显示器 %1：%2×%3，位于 %4,%5</translation>
    </message>
    <message>
        <source>No display reported.</source>
        <translation>没有报告显示器。</translation>
    </message>
    <message>
        <source>Taking a screenshot…</source>
        <translation>正在截图…</translation>
    </message>
    <message>
        <source>The screenshot could not be read as an image.</source>
        <translation>无法将截图读取为图像。</translation>
    </message>
    <message>
        <source>Screenshot %1×%2; the pointer is at %3,%4.</source>
        <translation>截图 %1×%2；指针位于 %3,%4。</translation>
    </message>
    <message>
        <source>Typing…</source>
        <translation>正在输入…</translation>
    </message>
    <message>
        <source>Typed.</source>
        <translation>已输入。</translation>
    </message>
    <message>
        <source>Pressing %1…</source>
        <translation>正在按下 %1…</translation>
    </message>
    <message>
        <source>Pressed.</source>
        <translation>已按下。</translation>
    </message>
    <message>
        <source>Sending %1…</source>
        <translation>正在发送 %1…</translation>
    </message>
    <message>
        <source>Sent.</source>
        <translation>已发送。</translation>
    </message>
    <message>
        <source>Moving the pointer…</source>
        <translation>正在移动指针…</translation>
    </message>
    <message>
        <source>The pointer is at %1,%2.</source>
        <translation>指针位于 %1,%2。</translation>
    </message>
    <message>
        <source>Clicking…</source>
        <translation>正在点击…</translation>
    </message>
    <message>
        <source>Clicked at %1,%2.</source>
        <translation>已在 %1,%2 点击。</translation>
    </message>
    <message>
        <source>Scrolling…</source>
        <translation>正在滚动…</translation>
    </message>
    <message>
        <source>Scrolled.</source>
        <translation>已滚动。</translation>
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
