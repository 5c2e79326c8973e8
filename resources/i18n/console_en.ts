<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en_US" sourcelanguage="en_US">
<context>
    <name>Alerts</name>
    <message>
        <source>After a restart the PC's clock claimed a lot of time had passed. Sprout kept today's totals until a clock the child cannot set (a time server, or this console) confirms the time.</source>
        <translation>After a restart the PC's clock claimed a lot of time had passed. Sprout kept today's totals until a clock the child cannot set (a time server, or this console) confirms the time.</translation>
    </message>
    <message>
        <source>The time was confirmed by %1; the PC's own clock was off by %2 minutes. No time was gained.</source>
        <translation>The time was confirmed by %1; the PC's own clock was off by %2 minutes. No time was gained.</translation>
    </message>
    <message>
        <source>your console</source>
        <translation>your console</translation>
    </message>
    <message>
        <source>a time server</source>
        <translation>a time server</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="286" />
        <source>Sprout does not know yet which account on the PC is the child's, so it filters the web but does not count time. On that PC, run: sudo sprout-agent set-child &lt;the child's login name&gt;</source>
        <translation>Sprout does not know yet which account on the PC is the child's, so it filters the web but does not count time. On that PC, run: sudo sprout-agent set-child &lt;the child's login name&gt;</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="258" />
        <source>The child's account is an administrator, so Sprout can be switched off. Make it a standard account.</source>
        <translation>The child's account is an administrator, so Sprout can be switched off. Make it a standard account.</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="261" />
        <source>The PC's time zone was changed. Sprout kept its own day; check the PC's clock.</source>
        <translation>The PC's time zone was changed. Sprout kept its own day; check the PC's clock.</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="263" />
        <source>Someone tried to stop or change Sprout on the child's PC. Talk with your child and check the PC.</source>
        <translation>Someone tried to stop or change Sprout on the child's PC. Talk with your child and check the PC.</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="266" />
        <source>The PC has not been reachable for a while. Check that it is on and connected.</source>
        <translation>The PC has not been reachable for a while. Check that it is on and connected.</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="269" />
        <source>Sprout noticed: %1</source>
        <translation>Sprout noticed: %1</translation>
    </message>
    <message>
        <source>Sprout was not running on the PC for %1 minutes (switched off, asleep without suspend, or stopped). Its time was not counted.</source>
        <translation>Sprout was not running on the PC for %1 minutes (switched off, asleep without suspend, or stopped). Its time was not counted.</translation>
    </message>
    <message>
        <source>The PC's clock was moved. Sprout kept its own time, so no extra time was gained; check the PC's clock.</source>
        <translation>The PC's clock was moved. Sprout kept its own time, so no extra time was gained; check the PC's clock.</translation>
    </message>
    <message>
        <source>Someone tried to stop or remove Sprout on the child's PC (%1). Talk with your child and check the PC.</source>
        <translation>Someone tried to stop or remove Sprout on the child's PC (%1). Talk with your child and check the PC.</translation>
    </message>
    <message>
        <source>Sprout could not tell whether the child's account is an administrator. Check the account type.</source>
        <translation>Sprout could not tell whether the child's account is an administrator. Check the account type.</translation>
    </message>
    <message>
        <source>Someone typed a PIN on the screen cover of the child's PC (%1).</source>
        <translation>Someone typed a PIN on the screen cover of the child's PC (%1).</translation>
    </message>
    <message>
        <source>accepted</source>
        <translation>accepted</translation>
    </message>
    <message>
        <source>wrong PIN</source>
        <translation>wrong PIN</translation>
    </message>
    <message>
        <source>Screen time ran out, but the PC could not be locked or logged out. Sprout covers the screen instead until time is allowed again (your PIN lifts it at the PC). Time used meanwhile is not taken from your next grant.</source>
        <translation>Screen time ran out, but the PC could not be locked or logged out. Sprout covers the screen instead until time is allowed again (your PIN lifts it at the PC). Time used meanwhile is not taken from your next grant.</translation>
    </message>
</context>
<context>
    <name>ChildCard</name>
    <message>
        <location filename="../../app/gui/overview.py" line="109" />
        <source>Screen time today</source>
        <translation>Screen time today</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="110" />
        <source>Game time today</source>
        <translation>Game time today</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="114" />
        <source>No PC paired yet — add one in Settings.</source>
        <translation>No PC paired yet — add one in Settings.</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="116" />
        <source>%1: checking…</source>
        <translation>%1: checking…</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="117" />
        <source>State of %1</source>
        <translation>State of %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="140" />
        <source>not known yet</source>
        <translation>not known yet</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="144" />
        <source>%1 min (no limit)</source>
        <translation>%1 min (no limit)</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="148" />
        <source>%1 of %2 min</source>
        <translation>%1 of %2 min</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="151" />
        <source>%1: online</source>
        <translation>%1: online</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="151" />
        <source>%1: offline — %2</source>
        <translation>%1: offline — %2</translation>
    </message>
</context>
<context>
    <name>ChildPage</name>
    <message>
        <location filename="../../app/gui/wizard.py" line="115" />
        <source>Your child</source>
        <translation>Your child</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="116" />
        <source>The birth year chooses sensible starting rules for the age; you can change every rule later.</source>
        <translation>The birth year chooses sensible starting rules for the age; you can change every rule later.</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="120" />
        <source>Child's name</source>
        <translation>Child's name</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="125" />
        <location filename="../../app/gui/wizard.py" line="135" />
        <source>Birth year</source>
        <translation>Birth year</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="127" />
        <location filename="../../app/gui/wizard.py" line="129" />
        <source>Vietnam game-time rule</source>
        <translation>Vietnam game-time rule</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="130" />
        <source>Decree 147/2024: at most 60 minutes per game and 180 minutes of games a day for under-18s.</source>
        <translation>Decree 147/2024: at most 60 minutes per game and 180 minutes of games a day for under-18s.</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="134" />
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="146" />
        <source>Age %1: rules for ages %2</source>
        <translation>Age %1: rules for ages %2</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="153" />
        <source>Please type a name (1 to 40 characters).</source>
        <translation>Please type a name (1 to 40 characters).</translation>
    </message>
</context>
<context>
    <name>DonePage</name>
    <message>
        <location filename="../../app/gui/wizard.py" line="257" />
        <source>All set</source>
        <translation>All set</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="258" />
        <source>Sprout now looks after your child's PC. The overview shows today's time, and requests for more time appear there and as a notification.</source>
        <translation>Sprout now looks after your child's PC. The overview shows today's time, and requests for more time appear there and as a notification.</translation>
    </message>
</context>
<context>
    <name>FirstRunWizard</name>
    <message>
        <location filename="../../app/gui/wizard.py" line="270" />
        <location filename="../../app/gui/wizard.py" line="280" />
        <source>Sprout — first run</source>
        <translation>Sprout — first run</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="292" />
        <source>Next &gt;</source>
        <translation>Next &gt;</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="293" />
        <source>&lt; Back</source>
        <translation>&lt; Back</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="294" />
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="295" />
        <source>Finish</source>
        <translation>Finish</translation>
    </message>
</context>
<context>
    <name>LanguagePage</name>
    <message>
        <location filename="../../app/gui/wizard.py" line="59" />
        <source>Welcome to Sprout</source>
        <translation>Welcome to Sprout</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="60" />
        <source>Choose the console's language. You can change it later in Settings.</source>
        <translation>Choose the console's language. You can change it later in Settings.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/gui/main_window.py" line="32" />
        <source>Sprout — parent console</source>
        <translation>Sprout — parent console</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="36" />
        <source>Child</source>
        <translation>Child</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="38" />
        <source>Which child's rules and reports</source>
        <translation>Which child's rules and reports</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="49" />
        <source>Console pages</source>
        <translation>Console pages</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="52" />
        <source>Overview</source>
        <translation>Overview</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="59" />
        <source>Settings</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="80" />
        <location filename="../../app/gui/main_window.py" line="84" />
        <source>Add a child first.</source>
        <translation>Add a child first.</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="83" />
        <source>Rules</source>
        <translation>Rules</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="84" />
        <source>Reports</source>
        <translation>Reports</translation>
    </message>
    <message>
        <source>Sprout: your child reported something</source>
        <translation>Sprout: your child reported something</translation>
    </message>
</context>
<context>
    <name>NoticeWindow</name>
    <message>
        <location filename="../../app/gui/notify.py" line="24" />
        <source>Sprout: a request</source>
        <translation>Sprout: a request</translation>
    </message>
    <message>
        <location filename="../../app/gui/notify.py" line="25" />
        <source>New request notice</source>
        <translation>New request notice</translation>
    </message>
    <message>
        <location filename="../../app/gui/notify.py" line="28" />
        <source>Answer</source>
        <translation>Answer</translation>
    </message>
    <message>
        <location filename="../../app/gui/notify.py" line="29" />
        <source>Open the console to answer</source>
        <translation>Open the console to answer</translation>
    </message>
    <message>
        <location filename="../../app/gui/notify.py" line="31" />
        <source>Later</source>
        <translation>Later</translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message>
        <location filename="../../app/gui/notify.py" line="57" />
        <source>Sprout parent console</source>
        <translation>Sprout parent console</translation>
    </message>
    <message>
        <location filename="../../app/gui/notify.py" line="64" />
        <source>%1 asks for %2 more minutes</source>
        <translation>%1 asks for %2 more minutes</translation>
    </message>
    <message>
        <location filename="../../app/gui/notify.py" line="68" />
        <source>Sprout: a request</source>
        <translation>Sprout: a request</translation>
    </message>
    <message>
        <source>%1 reported something harmful: “%2”</source>
        <translation>%1 reported something harmful: “%2”</translation>
    </message>
</context>
<context>
    <name>OverviewPage</name>
    <message>
        <location filename="../../app/gui/overview.py" line="164" />
        <source>Waiting for your answer</source>
        <translation>Waiting for your answer</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="167" />
        <source>No requests are waiting.</source>
        <translation>No requests are waiting.</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="170" />
        <source>Alerts</source>
        <translation>Alerts</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="185" />
        <source>Refresh now</source>
        <translation>Refresh now</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="251" />
        <source>No alerts in the last 7 days.</source>
        <translation>No alerts in the last 7 days.</translation>
    </message>
</context>
<context>
    <name>PairPage</name>
    <message>
        <location filename="../../app/gui/wizard.py" line="166" />
        <source>Pair the child's PC</source>
        <translation>Pair the child's PC</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="167" />
        <source>On the child's PC, Sprout shows a code like ABCD-1234. Choose the PC and type the code.</source>
        <translation>On the child's PC, Sprout shows a code like ABCD-1234. Choose the PC and type the code.</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="172" />
        <source>Child's PC address</source>
        <translation>Child's PC address</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="173" />
        <source>found on your network, or HOST:PORT</source>
        <translation>found on your network, or HOST:PORT</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="174" />
        <source>Search the network</source>
        <translation>Search the network</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="178" />
        <source>Pairing code</source>
        <translation>Pairing code</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="180" />
        <source>Pair</source>
        <translation>Pair</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="181" />
        <source>Pair with this PC</source>
        <translation>Pair with this PC</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="188" />
        <source>PC</source>
        <translation>PC</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="190" />
        <source>Code</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="194" />
        <source>No PC at hand? Press Next: you can pair one later in Settings.</source>
        <translation>No PC at hand? Press Next: you can pair one later in Settings.</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="222" />
        <source>Choose the child's PC or type its address (HOST:PORT).</source>
        <translation>Choose the child's PC or type its address (HOST:PORT).</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="225" />
        <source>The code has 8 letters or digits, like ABCD-1234.</source>
        <translation>The code has 8 letters or digits, like ABCD-1234.</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="229" />
        <source>Pairing…</source>
        <translation>Pairing…</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="236" />
        <source>Paired with %1 — device ID %2. Sending the rules…</source>
        <translation>Paired with %1 — device ID %2. Sending the rules…</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="243" />
        <source>Sending the rules…</source>
        <translation>Sending the rules…</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="244" />
        <source>Rules applied on the PC.</source>
        <translation>Rules applied on the PC.</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="251" />
        <source>Not paired: %1</source>
        <translation>Not paired: %1</translation>
    </message>
    <message>
        <source>No PC at hand? Press Next: you can pair one later in Settings (Pair a PC…).</source>
        <translation>No PC at hand? Press Next: you can pair one later in Settings (Pair a PC…).</translation>
    </message>
</context>
<context>
    <name>PinPage</name>
    <message>
        <location filename="../../app/gui/wizard.py" line="77" />
        <source>A PIN for parents</source>
        <translation>A PIN for parents</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="78" />
        <source>4 to 12 digits. It protects the settings and lets you unlock the child's PC when you are there.</source>
        <translation>4 to 12 digits. It protects the settings and lets you unlock the child's PC when you are there.</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="83" />
        <source>Parent PIN</source>
        <translation>Parent PIN</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="86" />
        <source>Parent PIN again</source>
        <translation>Parent PIN again</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="87" />
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="88" />
        <source>PIN again</source>
        <translation>PIN again</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="97" />
        <source>The PIN must be 4 to 12 digits.</source>
        <translation>The PIN must be 4 to 12 digits.</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="100" />
        <source>The two PINs are not the same.</source>
        <translation>The two PINs are not the same.</translation>
    </message>
</context>
<context>
    <name>QPlatformTheme</name>
    <message>
        <location filename="../../app/gui/i18n.py" line="38" />
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../app/gui/i18n.py" line="39" />
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../app/gui/i18n.py" line="40" />
        <source>&amp;Yes</source>
        <translation>&amp;Yes</translation>
    </message>
    <message>
        <location filename="../../app/gui/i18n.py" line="41" />
        <source>&amp;No</source>
        <translation>&amp;No</translation>
    </message>
    <message>
        <location filename="../../app/gui/i18n.py" line="42" />
        <source>Save</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../app/gui/i18n.py" line="43" />
        <source>Close</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>ReportsPage</name>
    <message>
        <location filename="../../app/gui/reports_view.py" line="34" />
        <source>Report period</source>
        <translation>Report period</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="35" />
        <source>Today</source>
        <translation>Today</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="35" />
        <source>Last 7 days</source>
        <translation>Last 7 days</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="35" />
        <source>Last 30 days</source>
        <translation>Last 30 days</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="40" />
        <source>Export CSV…</source>
        <translation>Export CSV…</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="41" />
        <source>Export PDF…</source>
        <translation>Export PDF…</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="47" />
        <source>Period</source>
        <translation>Period</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="57" />
        <source>Chart of minutes by day</source>
        <translation>Chart of minutes by day</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="59" />
        <source>Table of minutes by day</source>
        <translation>Table of minutes by day</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="79" />
        <source>Day</source>
        <translation>Day</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="79" />
        <source>Screen (min)</source>
        <translation>Screen (min)</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="79" />
        <source>Games (min)</source>
        <translation>Games (min)</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="79" />
        <source>Blocked tries</source>
        <translation>Blocked tries</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="80" />
        <source>Requests</source>
        <translation>Requests</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="80" />
        <source>Alerts</source>
        <translation>Alerts</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="91" />
        <source>Screen time</source>
        <translation>Screen time</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="91" />
        <source>Games</source>
        <translation>Games</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="106" />
        <source>minutes</source>
        <translation>minutes</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="111" />
        <source>Minutes by day, %1 to %2</source>
        <translation>Minutes by day, %1 to %2</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="128" />
        <source>none</source>
        <translation>none</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="131" />
        <source>Total: %1 min on screen, %2 min of games</source>
        <translation>Total: %1 min on screen, %2 min of games</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="133" />
        <source>Top apps: %1</source>
        <translation>Top apps: %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="133" />
        <location filename="../../app/gui/reports_view.py" line="134" />
        <source>min</source>
        <translation>min</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="134" />
        <source>Games: %1</source>
        <translation>Games: %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="135" />
        <source>Blocked websites by category: %1</source>
        <translation>Blocked websites by category: %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="135" />
        <source>tries</source>
        <translation>tries</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="139" />
        <source>Export report</source>
        <translation>Export report</translation>
    </message>
</context>
<context>
    <name>RequestCard</name>
    <message>
        <location filename="../../app/gui/overview.py" line="43" />
        <source>games</source>
        <translation>games</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="43" />
        <source>screen time</source>
        <translation>screen time</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="44" />
        <source>%1 asks for %2 more minutes of %3</source>
        <translation>%1 asks for %2 more minutes of %3</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="47" />
        <source>: “%1”</source>
        <translation>: “%1”</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="54" />
        <source>+%1 min</source>
        <translation>+%1 min</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="55" />
        <source>Give %1 more minutes</source>
        <translation>Give %1 more minutes</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="59" />
        <source>Other…</source>
        <translation>Other…</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="60" />
        <source>Give another number of minutes</source>
        <translation>Give another number of minutes</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="64" />
        <source>Decline…</source>
        <translation>Decline…</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="65" />
        <source>Decline with a message</source>
        <translation>Decline with a message</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="71" />
        <source>More time</source>
        <translation>More time</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="71" />
        <source>Minutes to give:</source>
        <translation>Minutes to give:</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="77" />
        <source>Decline</source>
        <translation>Decline</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="77" />
        <source>A message for your child (optional):</source>
        <translation>A message for your child (optional):</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="85" />
        <source>Sending your answer…</source>
        <translation>Sending your answer…</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="91" />
        <source>Granted %1 minutes</source>
        <translation>Granted %1 minutes</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="93" />
        <source>Declined</source>
        <translation>Declined</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="100" />
        <source>Could not send the answer: %1</source>
        <translation>Could not send the answer: %1</translation>
    </message>
    <message>
        <source>Granted %1 minutes for today (the request was from %2)</source>
        <translation>Granted %1 minutes for today (the request was from %2)</translation>
    </message>
</context>
<context>
    <name>RuleEditor</name>
    <message>
        <location filename="../../app/gui/rules.py" line="62" />
        <source>Rule sections</source>
        <translation>Rule sections</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="63" />
        <source>Screen time</source>
        <translation>Screen time</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="64" />
        <source>Games</source>
        <translation>Games</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="65" />
        <source>Apps</source>
        <translation>Apps</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="66" />
        <source>Web</source>
        <translation>Web</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="67" />
        <source>At the limit and privacy</source>
        <translation>At the limit and privacy</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="70" />
        <source>Result of sending the rules</source>
        <translation>Result of sending the rules</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="71" />
        <source>Save and send to the child's PC</source>
        <translation>Save and send to the child's PC</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="94" />
        <source>Screen time allowed each day (minutes)</source>
        <translation>Screen time allowed each day (minutes)</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="99" />
        <source>Screen minutes on %1</source>
        <translation>Screen minutes on %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="100" />
        <location filename="../../app/gui/rules.py" line="127" />
        <location filename="../../app/gui/rules.py" line="131" />
        <source>No limit</source>
        <translation>No limit</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="106" />
        <source>When the PC may be used (drag to draw, move or resize; double-click removes)</source>
        <translation>When the PC may be used (drag to draw, move or resize; double-click removes)</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="110" />
        <source>Weekly allowed times</source>
        <translation>Weekly allowed times</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="115" />
        <source>Screen minutes on public holidays</source>
        <translation>Screen minutes on public holidays</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="116" />
        <source>Same as the weekday</source>
        <translation>Same as the weekday</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="117" />
        <source>Public holidays (Vietnam)</source>
        <translation>Public holidays (Vietnam)</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="126" />
        <source>Game minutes per day</source>
        <translation>Game minutes per day</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="128" />
        <source>All games together, per day</source>
        <translation>All games together, per day</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="130" />
        <source>Minutes per game</source>
        <translation>Minutes per game</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="132" />
        <source>Each game, per day</source>
        <translation>Each game, per day</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="134" />
        <source>Reminder every so many minutes</source>
        <translation>Reminder every so many minutes</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="135" />
        <source>No reminder</source>
        <translation>No reminder</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="136" />
        <source>Remind the child every</source>
        <translation>Remind the child every</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="139" />
        <source>Game from the catalog</source>
        <translation>Game from the catalog</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="142" />
        <source>Minutes for this game</source>
        <translation>Minutes for this game</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="144" />
        <source>Set limit</source>
        <translation>Set limit</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="145" />
        <source>Set a limit for this game</source>
        <translation>Set a limit for this game</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="151" />
        <source>One game's own limit</source>
        <translation>One game's own limit</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="153" />
        <location filename="../../app/gui/rules.py" line="158" />
        <source>Games with their own limit</source>
        <translation>Games with their own limit</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="154" />
        <source>Remove selected</source>
        <translation>Remove selected</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="155" />
        <source>Remove the selected game limit</source>
        <translation>Remove the selected game limit</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="176" />
        <source>%1 — %2 min</source>
        <translation>%1 — %2 min</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="183" />
        <source>One app per line: its catalog id (minecraft) or its program name without .exe (zalo).</source>
        <translation>One app per line: its catalog id (minecraft) or its program name without .exe (zalo).</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="187" />
        <source>Always allowed apps</source>
        <translation>Always allowed apps</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="189" />
        <source>Always allowed (school, calls)</source>
        <translation>Always allowed (school, calls)</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="192" />
        <source>Blocked apps</source>
        <translation>Blocked apps</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="194" />
        <source>Blocked</source>
        <translation>Blocked</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="201" />
        <source>Block these kinds of websites</source>
        <translation>Block these kinds of websites</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="218" />
        <source>Sites always allowed</source>
        <translation>Sites always allowed</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="220" />
        <source>Always allow (one site per line)</source>
        <translation>Always allow (one site per line)</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="223" />
        <source>Sites always blocked</source>
        <translation>Sites always blocked</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="225" />
        <source>Always block (one site per line)</source>
        <translation>Always block (one site per line)</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="231" />
        <source>YouTube restriction</source>
        <translation>YouTube restriction</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="232" />
        <source>Off</source>
        <translation>Off</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="232" />
        <source>Moderate</source>
        <translation>Moderate</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="232" />
        <source>Strict</source>
        <translation>Strict</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="234" />
        <source>YouTube restricted mode</source>
        <translation>YouTube restricted mode</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="245" />
        <location filename="../../app/gui/rules.py" line="249" />
        <source>When screen time is up</source>
        <translation>When screen time is up</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="246" />
        <source>Lock the PC</source>
        <translation>Lock the PC</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="246" />
        <source>Log out</source>
        <translation>Log out</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="247" />
        <location filename="../../app/gui/rules.py" line="252" />
        <source>Only tell the child</source>
        <translation>Only tell the child</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="251" />
        <location filename="../../app/gui/rules.py" line="254" />
        <source>When game time is up</source>
        <translation>When game time is up</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="252" />
        <source>Close the game</source>
        <translation>Close the game</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="257" />
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="258" />
        <source>Seconds to save work before acting</source>
        <translation>Seconds to save work before acting</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="259" />
        <source>Time to save work first</source>
        <translation>Time to save work first</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="261" />
        <source>Which apps were used and for how long</source>
        <translation>Which apps were used and for how long</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="262" />
        <source>Window titles</source>
        <translation>Window titles</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="263" />
        <source>Full web addresses</source>
        <translation>Full web addresses</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="264" />
        <source>Blocked website categories</source>
        <translation>Blocked website categories</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="267" />
        <source>What the child's PC reports to you:</source>
        <translation>What the child's PC reports to you:</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="272" />
        <source> days</source>
        <translation> days</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="273" />
        <location filename="../../app/gui/rules.py" line="274" />
        <source>Keep reports for</source>
        <translation>Keep reports for</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="279" />
        <source>Mon</source>
        <translation>Mon</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="279" />
        <source>Tue</source>
        <translation>Tue</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="279" />
        <source>Wed</source>
        <translation>Wed</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="279" />
        <source>Thu</source>
        <translation>Thu</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="279" />
        <source>Fri</source>
        <translation>Fri</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="279" />
        <source>Sat</source>
        <translation>Sat</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="280" />
        <source>Sun</source>
        <translation>Sun</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="371" />
        <source>Please fix the fields marked in red; nothing was sent.</source>
        <translation>Please fix the fields marked in red; nothing was sent.</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="375" />
        <source>Sending…</source>
        <translation>Sending…</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="382" />
        <source>Saved. No PC is paired with this child yet, so nothing was sent.</source>
        <translation>Saved. No PC is paired with this child yet, so nothing was sent.</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="384" />
        <source>Applied on %1 at %2 (version %3)</source>
        <translation>Applied on %1 at %2 (version %3)</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="395" />
        <source>Not applied: %1</source>
        <translation>Not applied: %1</translation>
    </message>
    <message>
        <source>In force on %1: version %2.</source>
        <translation>In force on %1: version %2.</translation>
    </message>
    <message>
        <source>Could not read the rules in force on the PC: %1</source>
        <translation>Could not read the rules in force on the PC: %1</translation>
    </message>
    <message>
        <source>Rules changed on the PC</source>
        <translation>Rules changed on the PC</translation>
    </message>
    <message>
        <source>The rules on %1 were changed elsewhere (now version %2) after you opened them. Replace them with yours?</source>
        <translation>The rules on %1 were changed elsewhere (now version %2) after you opened them. Replace them with yours?</translation>
    </message>
    <message>
        <source>Showing the rules in force on %1 (version %2); your changes were not sent.</source>
        <translation>Showing the rules in force on %1 (version %2); your changes were not sent.</translation>
    </message>
    <message>
        <source>Line %1: </source>
        <translation>Line %1: </translation>
    </message>
    <message>
        <source>write the name without its extension: %1</source>
        <translation>write the name without its extension: %1</translation>
    </message>
    <message>
        <source>%1 is also in another list; choose one</source>
        <translation>%1 is also in another list; choose one</translation>
    </message>
    <message>
        <source>overlaps another time window</source>
        <translation>overlaps another time window</translation>
    </message>
    <message>
        <source>start and end are the same time</source>
        <translation>start and end are the same time</translation>
    </message>
    <message>
        <source>unknown web category %1</source>
        <translation>unknown web category %1</translation>
    </message>
    <message>
        <source>not a valid app name (lower-case letters, digits, . _ + -)</source>
        <translation>not a valid app name (lower-case letters, digits, . _ + -)</translation>
    </message>
    <message>
        <source>too many lines (at most %1)</source>
        <translation>too many lines (at most %1)</translation>
    </message>
    <message>
        <source>must be between %1 and %2</source>
        <translation>must be between %1 and %2</translation>
    </message>
    <message>
        <source>%1 is not accepted here</source>
        <translation>%1 is not accepted here</translation>
    </message>
    <message>
        <source>this value is not accepted</source>
        <translation>this value is not accepted</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="1"/>
        <source>%1 and %2</source>
        <translation>%1 and %2</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="1"/>
        <source>SafeSearch on %1</source>
        <translation>SafeSearch on %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="1"/>
        <source>While it is on, %1 are blocked: their safe mode cannot be forced.</source>
        <translation>While it is on, %1 are blocked: their safe mode cannot be forced.</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../../app/gui/settings.py" line="50" />
        <source>Language</source>
        <translation>Language</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="53" />
        <source>Console language</source>
        <translation>Console language</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="62" />
        <source>Parent PIN</source>
        <translation>Parent PIN</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="65" />
        <source>Current PIN</source>
        <translation>Current PIN</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="65" />
        <source>New PIN</source>
        <translation>New PIN</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="69" />
        <source>Change PIN</source>
        <translation>Change PIN</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="76" />
        <source>Devices</source>
        <translation>Devices</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="79" />
        <source>Paired PCs</source>
        <translation>Paired PCs</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="83" />
        <source>Rename…</source>
        <translation>Rename…</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="84" />
        <source>Unpair…</source>
        <translation>Unpair…</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="96" />
        <source>Data</source>
        <translation>Data</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="98" />
        <source>Export all data…</source>
        <translation>Export all data…</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="99" />
        <location filename="../../app/gui/settings.py" line="206" />
        <source>Export all data</source>
        <translation>Export all data</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="102" />
        <source>Hide this PC's history…</source>
        <translation>Hide this PC's history…</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="103" />
        <source>Hide the selected PC's report history</source>
        <translation>Hide the selected PC's report history</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="109" />
        <source>About</source>
        <translation>About</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="111" />
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="114" />
        <location filename="../../app/gui/settings.py" line="115" />
        <source>This console's device ID</source>
        <translation>This console's device ID</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="116" />
        <source>Key storage</source>
        <translation>Key storage</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="136" />
        <source>PIN changed.</source>
        <translation>PIN changed.</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="142" />
        <source>Too many wrong tries; wait %1 seconds.</source>
        <translation>Too many wrong tries; wait %1 seconds.</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="144" />
        <source>The current PIN is wrong.</source>
        <translation>The current PIN is wrong.</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="146" />
        <source>The new PIN must be 4 to 12 digits.</source>
        <translation>The new PIN must be 4 to 12 digits.</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="169" />
        <source>Rename PC</source>
        <translation>Rename PC</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="169" />
        <source>New name:</source>
        <translation>New name:</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="174" />
        <source>The name must be 1 to 40 characters.</source>
        <translation>The name must be 1 to 40 characters.</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="183" />
        <source>Unpair</source>
        <translation>Unpair</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="184" />
        <source>Unpair this PC? It will stop following your rules until it is paired again.</source>
        <translation>Unpair this PC? It will stop following your rules until it is paired again.</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="202" />
        <source>Reports so far from this PC were deleted from this console.</source>
        <translation>Reports so far from this PC were deleted from this console.</translation>
    </message>
    <message>
        <source>Pair a PC…</source>
        <translation>Pair a PC…</translation>
    </message>
    <message>
        <source>Add a child…</source>
        <translation>Add a child…</translation>
    </message>
    <message>
        <source>the system keyring</source>
        <translation>the system keyring</translation>
    </message>
    <message>
        <source>a key file only your account can read</source>
        <translation>a key file only your account can read</translation>
    </message>
</context>
<context>
    <name>SiteRequestCard</name>
    <message>
        <location filename="../../app/gui/overview.py" line="1"/>
        <source>Allow this site</source>
        <translation>Allow this site</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="1"/>
        <source>Allow %1 for %2</source>
        <translation>Allow %1 for %2</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="1"/>
        <source>%1 asks to open %2</source>
        <translation>%1 asks to open %2</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="1"/>
        <source> (blocked as %1)</source>
        <translation> (blocked as %1)</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="1"/>
        <source>Allowing %1…</source>
        <translation>Allowing %1…</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="1"/>
        <source>%1 is allowed for %2: it opens on their PC within a few seconds.</source>
        <translation>%1 is allowed for %2: it opens on their PC within a few seconds.</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="1"/>
        <source>Could not allow %1: %2</source>
        <translation>Could not allow %1: %2</translation>
    </message>
</context>
<context>
    <name>AddChildDialog</name>
    <message>
        <source>Add a child</source>
        <translation>Add a child</translation>
    </message>
</context>
<context>
    <name>ChildForm</name>
    <message>
        <source>Child's name</source>
        <translation>Child's name</translation>
    </message>
    <message>
        <source>Birth year</source>
        <translation>Birth year</translation>
    </message>
    <message>
        <source>Vietnam game-time rule</source>
        <translation>Vietnam game-time rule</translation>
    </message>
    <message>
        <source>Decree 147/2024: at most 60 minutes per game and 180 minutes of games a day for under-18s.</source>
        <translation>Decree 147/2024: at most 60 minutes per game and 180 minutes of games a day for under-18s.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Age %1: rules for ages %2</source>
        <translation>Age %1: rules for ages %2</translation>
    </message>
    <message>
        <source>Please type a name (1 to 40 characters).</source>
        <translation>Please type a name (1 to 40 characters).</translation>
    </message>
</context>
<context>
    <name>PairDialog</name>
    <message>
        <source>Pair a PC</source>
        <translation>Pair a PC</translation>
    </message>
    <message>
        <source>On the child's PC, Sprout shows a code like ABCD-1234. Choose the child, then the PC, and type the code.</source>
        <translation>On the child's PC, Sprout shows a code like ABCD-1234. Choose the child, then the PC, and type the code.</translation>
    </message>
    <message>
        <source>Whose PC</source>
        <translation>Whose PC</translation>
    </message>
    <message>
        <source>Child</source>
        <translation>Child</translation>
    </message>
</context>
<context>
    <name>PairForm</name>
    <message>
        <source>Child's PC address</source>
        <translation>Child's PC address</translation>
    </message>
    <message>
        <source>found on your network, or HOST:PORT</source>
        <translation>found on your network, or HOST:PORT</translation>
    </message>
    <message>
        <source>Search the network</source>
        <translation>Search the network</translation>
    </message>
    <message>
        <source>Pairing code</source>
        <translation>Pairing code</translation>
    </message>
    <message>
        <source>Pair</source>
        <translation>Pair</translation>
    </message>
    <message>
        <source>Pair with this PC</source>
        <translation>Pair with this PC</translation>
    </message>
    <message>
        <source>PC</source>
        <translation>PC</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>Add a child first: the PC follows that child's rules.</source>
        <translation>Add a child first: the PC follows that child's rules.</translation>
    </message>
    <message>
        <source>Choose the child's PC or type its address (HOST:PORT).</source>
        <translation>Choose the child's PC or type its address (HOST:PORT).</translation>
    </message>
    <message>
        <source>The code has 8 letters or digits, like ABCD-1234.</source>
        <translation>The code has 8 letters or digits, like ABCD-1234.</translation>
    </message>
    <message>
        <source>Pairing…</source>
        <translation>Pairing…</translation>
    </message>
    <message>
        <source>Paired with %1 — device ID %2. Sending the rules…</source>
        <translation>Paired with %1 — device ID %2. Sending the rules…</translation>
    </message>
    <message>
        <source>Sending the rules…</source>
        <translation>Sending the rules…</translation>
    </message>
    <message>
        <source>Rules applied on the PC.</source>
        <translation>Rules applied on the PC.</translation>
    </message>
    <message>
        <source>Not paired: %1</source>
        <translation>Not paired: %1</translation>
    </message>
</context>
<context>
    <name>HarmfulCard</name>
    <message>
        <source>%1 reported something harmful (%2)</source>
        <translation>%1 reported something harmful (%2)</translation>
    </message>
    <message>
        <source>“%1”</source>
        <translation>“%1”</translation>
    </message>
    <message>
        <source>What %1 wrote</source>
        <translation>What %1 wrote</translation>
    </message>
    <message>
        <source>Talk with %1 calmly and thank them for telling you. If someone is in danger, call the child-protection hotline 111 (free, day and night).</source>
        <translation>Talk with %1 calmly and thank them for telling you. If someone is in danger, call the child-protection hotline 111 (free, day and night).</translation>
    </message>
</context><context>
    <name>Errors</name>
    <message>
        <source>it already has newer rules.</source>
        <translation>it already has newer rules.</translation>
    </message>
    <message>
        <source>the request was already answered.</source>
        <translation>the request was already answered.</translation>
    </message>
    <message>
        <source>The PC cannot be reached. Is it switched on and connected to the network?</source>
        <translation>The PC cannot be reached. Is it switched on and connected to the network?</translation>
    </message>
    <message>
        <source>The PC's answer was damaged on the way. Try again.</source>
        <translation>The PC's answer was damaged on the way. Try again.</translation>
    </message>
    <message>
        <source>This PC does not know this console any more. Pair it again in Settings.</source>
        <translation>This PC does not know this console any more. Pair it again in Settings.</translation>
    </message>
    <message>
        <source>This PC was unpaired from this console. Pair it again in Settings.</source>
        <translation>This PC was unpaired from this console. Pair it again in Settings.</translation>
    </message>
    <message>
        <source>The PC refused a repeated message. Try again.</source>
        <translation>The PC refused a repeated message. Try again.</translation>
    </message>
    <message>
        <source>The PC refused a message that failed its checks.</source>
        <translation>The PC refused a message that failed its checks.</translation>
    </message>
    <message>
        <source>The PC kept its rules: %1</source>
        <translation>The PC kept its rules: %1</translation>
    </message>
    <message>
        <source>The PC did not take the answer: %1</source>
        <translation>The PC did not take the answer: %1</translation>
    </message>
    <message>
        <source>The PC is not showing a pairing code right now. Ask for a new code on the PC.</source>
        <translation>The PC is not showing a pairing code right now. Ask for a new code on the PC.</translation>
    </message>
    <message>
        <source>This pairing code has expired. Ask for a new code on the PC.</source>
        <translation>This pairing code has expired. Ask for a new code on the PC.</translation>
    </message>
    <message>
        <source>The code did not match. Check it on the PC and ask for a new one.</source>
        <translation>The code did not match. Check it on the PC and ask for a new one.</translation>
    </message>
    <message>
        <source>Another pairing is in progress. Try again in a minute.</source>
        <translation>Another pairing is in progress. Try again in a minute.</translation>
    </message>
</context><context>
    <name>NewAppCard</name>
    <message>
        <source>A new program, %1, was full screen on %2 for %3 minutes. Is it a game?</source>
        <translation>A new program, %1, was full screen on %2 for %3 minutes. Is it a game?</translation>
    </message>
    <message>
        <source>Counting it as a game gives it game time and the game limits, whatever it is renamed to or wherever it is moved.</source>
        <translation>Counting it as a game gives it game time and the game limits, whatever it is renamed to or wherever it is moved.</translation>
    </message>
    <message>
        <source>Count it as a game</source>
        <translation>Count it as a game</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>Counted as a game</source>
        <translation>Counted as a game</translation>
    </message>
    <message>
        <source>Done: it now uses game time and closes at the game limits.</source>
        <translation>Done: it now uses game time and closes at the game limits.</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>Not saved: %1</translation>
    </message>
</context>
</TS>
