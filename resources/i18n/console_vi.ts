<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="vi_VN" sourcelanguage="en_US">
<context>
    <name>Alerts</name>
    <message>
        <source>After a restart the PC's clock claimed a lot of time had passed. Sprout kept today's totals until a clock the child cannot set (a time server, or this console) confirms the time.</source>
        <translation>Sau khi khởi động lại, đồng hồ của máy cho rằng đã qua rất lâu. Mầm giữ nguyên số giờ hôm nay cho đến khi một đồng hồ con không chỉnh được (máy chủ giờ, hoặc bảng điều khiển này) xác nhận giờ.</translation>
    </message>
    <message>
        <source>The time was confirmed by %1; the PC's own clock was off by %2 minutes. No time was gained.</source>
        <translation>Giờ đã được %1 xác nhận; đồng hồ của máy lệch %2 phút. Không có thêm giờ nào.</translation>
    </message>
    <message>
        <source>your console</source>
        <translation>bảng điều khiển của bạn</translation>
    </message>
    <message>
        <source>a time server</source>
        <translation>máy chủ giờ</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="286" />
        <source>Sprout does not know yet which account on the PC is the child's, so it filters the web but does not count time. On that PC, run: sudo sprout-agent set-child &lt;the child's login name&gt;</source>
        <translation>Mầm chưa biết tài khoản nào trên máy là của con, nên mới lọc web mà chưa tính giờ. Trên máy đó, hãy chạy: sudo sprout-agent set-child &lt;tên đăng nhập của con&gt;</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="258" />
        <source>The child's account is an administrator, so Sprout can be switched off. Make it a standard account.</source>
        <translation>Tài khoản của con có quyền quản trị nên có thể tắt Mầm. Hãy đổi thành tài khoản thường.</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="261" />
        <source>The PC's time zone was changed. Sprout kept its own day; check the PC's clock.</source>
        <translation>Múi giờ của máy đã bị đổi. Mầm vẫn giữ cách tính ngày của mình; hãy kiểm tra đồng hồ của máy.</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="263" />
        <source>Someone tried to stop or change Sprout on the child's PC. Talk with your child and check the PC.</source>
        <translation>Có người đã thử tắt hoặc sửa Mầm trên máy của con. Hãy trò chuyện với con và kiểm tra máy.</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="266" />
        <source>The PC has not been reachable for a while. Check that it is on and connected.</source>
        <translation>Đã lâu không liên lạc được với máy. Hãy kiểm tra máy có bật và có kết nối mạng không.</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="269" />
        <source>Sprout noticed: %1</source>
        <translation>Mầm ghi nhận: %1</translation>
    </message>
    <message>
        <source>Sprout was not running on the PC for %1 minutes (switched off, asleep without suspend, or stopped). Its time was not counted.</source>
        <translation>Mầm không chạy trên máy trong %1 phút (máy tắt hoặc Mầm bị dừng). Khoảng thời gian đó không được tính.</translation>
    </message>
    <message>
        <source>The PC's clock was moved. Sprout kept its own time, so no extra time was gained; check the PC's clock.</source>
        <translation>Đồng hồ của máy đã bị chỉnh. Mầm vẫn giữ giờ của mình nên không có thêm thời gian; hãy kiểm tra đồng hồ của máy.</translation>
    </message>
    <message>
        <source>Someone tried to stop or remove Sprout on the child's PC (%1). Talk with your child and check the PC.</source>
        <translation>Có người đã thử dừng hoặc gỡ Mầm trên máy của con (%1). Hãy trò chuyện với con và kiểm tra máy.</translation>
    </message>
    <message>
        <source>Sprout could not tell whether the child's account is an administrator. Check the account type.</source>
        <translation>Mầm không xác định được tài khoản của con có quyền quản trị hay không. Hãy kiểm tra loại tài khoản.</translation>
    </message>
    <message>
        <source>Someone typed a PIN on the screen cover of the child's PC (%1).</source>
        <translation>Có người đã nhập mã PIN trên màn che của máy con (%1).</translation>
    </message>
    <message>
        <source>accepted</source>
        <translation>đúng mã</translation>
    </message>
    <message>
        <source>wrong PIN</source>
        <translation>sai mã</translation>
    </message>
    <message>
        <source>Screen time ran out, but the PC could not be locked or logged out. Sprout covers the screen instead until time is allowed again (your PIN lifts it at the PC). Time used meanwhile is not taken from your next grant.</source>
        <translation>Đã hết giờ dùng máy nhưng máy không khóa được và cũng không đăng xuất được. Mầm che màn hình thay vào đó cho đến khi con lại được dùng máy (mã PIN của bạn mở được ngay tại máy). Thời gian dùng trong lúc đó không bị trừ vào lần cho thêm giờ tiếp theo.</translation>
    </message>
</context>
<context>
    <name>ChildCard</name>
    <message>
        <location filename="../../app/gui/overview.py" line="109" />
        <source>Screen time today</source>
        <translation>Thời gian dùng máy hôm nay</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="110" />
        <source>Game time today</source>
        <translation>Thời gian chơi game hôm nay</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="114" />
        <source>No PC paired yet — add one in Settings.</source>
        <translation>Chưa ghép nối máy nào — thêm máy trong phần Cài đặt.</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="116" />
        <source>%1: checking…</source>
        <translation>%1: đang kiểm tra…</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="117" />
        <source>State of %1</source>
        <translation>Trạng thái của %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="140" />
        <source>not known yet</source>
        <translation>chưa có số liệu</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="144" />
        <source>%1 min (no limit)</source>
        <translation>%1 phút (không giới hạn)</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="148" />
        <source>%1 of %2 min</source>
        <translation>%1 / %2 phút</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="151" />
        <source>%1: online</source>
        <translation>%1: đang trực tuyến</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="151" />
        <source>%1: offline — %2</source>
        <translation>%1: ngoại tuyến — %2</translation>
    </message>
</context>
<context>
    <name>ChildPage</name>
    <message>
        <location filename="../../app/gui/wizard.py" line="115" />
        <source>Your child</source>
        <translation>Con của bạn</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="116" />
        <source>The birth year chooses sensible starting rules for the age; you can change every rule later.</source>
        <translation>Năm sinh giúp chọn quy tắc ban đầu phù hợp với độ tuổi; bạn có thể thay đổi mọi quy tắc sau.</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="120" />
        <source>Child's name</source>
        <translation>Tên của con</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="125" />
        <location filename="../../app/gui/wizard.py" line="135" />
        <source>Birth year</source>
        <translation>Năm sinh</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="127" />
        <location filename="../../app/gui/wizard.py" line="129" />
        <source>Vietnam game-time rule</source>
        <translation>Quy định thời gian chơi game của Việt Nam</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="130" />
        <source>Decree 147/2024: at most 60 minutes per game and 180 minutes of games a day for under-18s.</source>
        <translation>Nghị định 147/2024: người dưới 18 tuổi chơi tối đa 60 phút mỗi trò và 180 phút chơi game mỗi ngày.</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="134" />
        <source>Name</source>
        <translation>Tên</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="146" />
        <source>Age %1: rules for ages %2</source>
        <translation>%1 tuổi: quy tắc cho độ tuổi %2</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="153" />
        <source>Please type a name (1 to 40 characters).</source>
        <translation>Vui lòng nhập tên (1 đến 40 ký tự).</translation>
    </message>
</context>
<context>
    <name>DonePage</name>
    <message>
        <location filename="../../app/gui/wizard.py" line="257" />
        <source>All set</source>
        <translation>Đã xong</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="258" />
        <source>Sprout now looks after your child's PC. The overview shows today's time, and requests for more time appear there and as a notification.</source>
        <translation>Mầm đang trông chừng máy tính của con. Trang Tổng quan cho biết thời gian hôm nay; yêu cầu xin thêm giờ sẽ hiện ở đó và bằng thông báo.</translation>
    </message>
</context>
<context>
    <name>FirstRunWizard</name>
    <message>
        <location filename="../../app/gui/wizard.py" line="270" />
        <location filename="../../app/gui/wizard.py" line="280" />
        <source>Sprout — first run</source>
        <translation>Mầm — thiết lập lần đầu</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="292" />
        <source>Next &gt;</source>
        <translation>Tiếp &gt;</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="293" />
        <source>&lt; Back</source>
        <translation>&lt; Quay lại</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="294" />
        <source>Cancel</source>
        <translation>Huỷ</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="295" />
        <source>Finish</source>
        <translation>Hoàn tất</translation>
    </message>
</context>
<context>
    <name>LanguagePage</name>
    <message>
        <location filename="../../app/gui/wizard.py" line="59" />
        <source>Welcome to Sprout</source>
        <translation>Chào mừng bạn đến với Mầm</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="60" />
        <source>Choose the console's language. You can change it later in Settings.</source>
        <translation>Chọn ngôn ngữ cho bảng điều khiển. Bạn có thể đổi lại trong phần Cài đặt.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/gui/main_window.py" line="32" />
        <source>Sprout — parent console</source>
        <translation>Mầm — bảng điều khiển của cha mẹ</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="36" />
        <source>Child</source>
        <translation>Con</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="38" />
        <source>Which child's rules and reports</source>
        <translation>Quy tắc và báo cáo của con nào</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="49" />
        <source>Console pages</source>
        <translation>Các trang của bảng điều khiển</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="52" />
        <source>Overview</source>
        <translation>Tổng quan</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="59" />
        <source>Settings</source>
        <translation>Cài đặt</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="80" />
        <location filename="../../app/gui/main_window.py" line="84" />
        <source>Add a child first.</source>
        <translation>Hãy thêm một bé trước.</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="83" />
        <source>Rules</source>
        <translation>Quy tắc</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="84" />
        <source>Reports</source>
        <translation>Báo cáo</translation>
    </message>
    <message>
        <source>Sprout: your child reported something</source>
        <translation>Mầm: con bạn vừa báo một điều</translation>
    </message>
</context>
<context>
    <name>NoticeWindow</name>
    <message>
        <location filename="../../app/gui/notify.py" line="24" />
        <source>Sprout: a request</source>
        <translation>Mầm: có yêu cầu mới</translation>
    </message>
    <message>
        <location filename="../../app/gui/notify.py" line="25" />
        <source>New request notice</source>
        <translation>Thông báo yêu cầu mới</translation>
    </message>
    <message>
        <location filename="../../app/gui/notify.py" line="28" />
        <source>Answer</source>
        <translation>Trả lời</translation>
    </message>
    <message>
        <location filename="../../app/gui/notify.py" line="29" />
        <source>Open the console to answer</source>
        <translation>Mở bảng điều khiển để trả lời</translation>
    </message>
    <message>
        <location filename="../../app/gui/notify.py" line="31" />
        <source>Later</source>
        <translation>Để sau</translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message>
        <location filename="../../app/gui/notify.py" line="57" />
        <source>Sprout parent console</source>
        <translation>Bảng điều khiển Mầm của cha mẹ</translation>
    </message>
    <message>
        <location filename="../../app/gui/notify.py" line="64" />
        <source>%1 asks for %2 more minutes</source>
        <translation>%1 xin thêm %2 phút</translation>
    </message>
    <message>
        <location filename="../../app/gui/notify.py" line="68" />
        <source>Sprout: a request</source>
        <translation>Mầm: có yêu cầu mới</translation>
    </message>
    <message>
        <source>%1 reported something harmful: “%2”</source>
        <translation>%1 đã báo một điều có hại: “%2”</translation>
    </message>
</context>
<context>
    <name>OverviewPage</name>
    <message>
        <location filename="../../app/gui/overview.py" line="164" />
        <source>Waiting for your answer</source>
        <translation>Đang chờ bạn trả lời</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="167" />
        <source>No requests are waiting.</source>
        <translation>Không có yêu cầu nào đang chờ.</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="170" />
        <source>Alerts</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="185" />
        <source>Refresh now</source>
        <translation>Làm mới ngay</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="251" />
        <source>No alerts in the last 7 days.</source>
        <translation>Không có cảnh báo nào trong 7 ngày qua.</translation>
    </message>
</context>
<context>
    <name>PairPage</name>
    <message>
        <location filename="../../app/gui/wizard.py" line="166" />
        <source>Pair the child's PC</source>
        <translation>Ghép nối máy tính của con</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="167" />
        <source>On the child's PC, Sprout shows a code like ABCD-1234. Choose the PC and type the code.</source>
        <translation>Trên máy tính của con, Mầm hiện một mã dạng ABCD-1234. Chọn máy đó rồi nhập mã.</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="172" />
        <source>Child's PC address</source>
        <translation>Địa chỉ máy tính của con</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="173" />
        <source>found on your network, or HOST:PORT</source>
        <translation>tìm thấy trong mạng nhà bạn, hoặc MÁY:CỔNG</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="174" />
        <source>Search the network</source>
        <translation>Tìm trong mạng</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="178" />
        <source>Pairing code</source>
        <translation>Mã ghép nối</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="180" />
        <source>Pair</source>
        <translation>Ghép nối</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="181" />
        <source>Pair with this PC</source>
        <translation>Ghép nối với máy này</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="188" />
        <source>PC</source>
        <translation>Máy tính</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="190" />
        <source>Code</source>
        <translation>Mã</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="194" />
        <source>No PC at hand? Press Next: you can pair one later in Settings.</source>
        <translation>Chưa có máy bên cạnh? Bấm Tiếp: bạn có thể ghép nối sau trong phần Cài đặt.</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="222" />
        <source>Choose the child's PC or type its address (HOST:PORT).</source>
        <translation>Hãy chọn máy tính của con hoặc nhập địa chỉ (MÁY:CỔNG).</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="225" />
        <source>The code has 8 letters or digits, like ABCD-1234.</source>
        <translation>Mã gồm 8 chữ cái hoặc chữ số, dạng ABCD-1234.</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="229" />
        <source>Pairing…</source>
        <translation>Đang ghép nối…</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="236" />
        <source>Paired with %1 — device ID %2. Sending the rules…</source>
        <translation>Đã ghép nối với %1 — mã thiết bị %2. Đang gửi quy tắc…</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="243" />
        <source>Sending the rules…</source>
        <translation>Đang gửi quy tắc…</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="244" />
        <source>Rules applied on the PC.</source>
        <translation>Máy đã áp dụng quy tắc.</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="251" />
        <source>Not paired: %1</source>
        <translation>Chưa ghép nối được: %1</translation>
    </message>
    <message>
        <source>No PC at hand? Press Next: you can pair one later in Settings (Pair a PC…).</source>
        <translation>Chưa có máy bên cạnh? Bấm Tiếp: bạn có thể ghép nối sau trong Cài đặt (Ghép nối máy…).</translation>
    </message>
</context>
<context>
    <name>PinPage</name>
    <message>
        <location filename="../../app/gui/wizard.py" line="77" />
        <source>A PIN for parents</source>
        <translation>Mã PIN của cha mẹ</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="78" />
        <source>4 to 12 digits. It protects the settings and lets you unlock the child's PC when you are there.</source>
        <translation>Từ 4 đến 12 chữ số. Mã này bảo vệ phần cài đặt và giúp bạn mở khóa máy của con khi bạn ở bên cạnh.</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="83" />
        <source>Parent PIN</source>
        <translation>Mã PIN của cha mẹ</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="86" />
        <source>Parent PIN again</source>
        <translation>Nhập lại mã PIN của cha mẹ</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="87" />
        <source>PIN</source>
        <translation>Mã PIN</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="88" />
        <source>PIN again</source>
        <translation>Nhập lại mã PIN</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="97" />
        <source>The PIN must be 4 to 12 digits.</source>
        <translation>Mã PIN phải gồm 4 đến 12 chữ số.</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="100" />
        <source>The two PINs are not the same.</source>
        <translation>Hai mã PIN không giống nhau.</translation>
    </message>
</context>
<context>
    <name>QPlatformTheme</name>
    <message>
        <location filename="../../app/gui/i18n.py" line="38" />
        <source>OK</source>
        <translation>Đồng ý</translation>
    </message>
    <message>
        <location filename="../../app/gui/i18n.py" line="39" />
        <source>Cancel</source>
        <translation>Huỷ</translation>
    </message>
    <message>
        <location filename="../../app/gui/i18n.py" line="40" />
        <source>&amp;Yes</source>
        <translation>&amp;Có</translation>
    </message>
    <message>
        <location filename="../../app/gui/i18n.py" line="41" />
        <source>&amp;No</source>
        <translation>&amp;Không</translation>
    </message>
    <message>
        <location filename="../../app/gui/i18n.py" line="42" />
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <location filename="../../app/gui/i18n.py" line="43" />
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
</context>
<context>
    <name>ReportsPage</name>
    <message>
        <location filename="../../app/gui/reports_view.py" line="34" />
        <source>Report period</source>
        <translation>Khoảng thời gian báo cáo</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="35" />
        <source>Today</source>
        <translation>Hôm nay</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="35" />
        <source>Last 7 days</source>
        <translation>7 ngày qua</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="35" />
        <source>Last 30 days</source>
        <translation>30 ngày qua</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="40" />
        <source>Export CSV…</source>
        <translation>Xuất CSV…</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="41" />
        <source>Export PDF…</source>
        <translation>Xuất PDF…</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="47" />
        <source>Period</source>
        <translation>Khoảng thời gian</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="57" />
        <source>Chart of minutes by day</source>
        <translation>Biểu đồ số phút theo ngày</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="59" />
        <source>Table of minutes by day</source>
        <translation>Bảng số phút theo ngày</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="79" />
        <source>Day</source>
        <translation>Ngày</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="79" />
        <source>Screen (min)</source>
        <translation>Dùng máy (phút)</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="79" />
        <source>Games (min)</source>
        <translation>Chơi game (phút)</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="79" />
        <source>Blocked tries</source>
        <translation>Lần bị chặn</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="80" />
        <source>Requests</source>
        <translation>Yêu cầu</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="80" />
        <source>Alerts</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="91" />
        <source>Screen time</source>
        <translation>Thời gian dùng máy</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="91" />
        <source>Games</source>
        <translation>Trò chơi</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="106" />
        <source>minutes</source>
        <translation>phút</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="111" />
        <source>Minutes by day, %1 to %2</source>
        <translation>Số phút theo ngày, từ %1 đến %2</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="128" />
        <source>none</source>
        <translation>không có</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="131" />
        <source>Total: %1 min on screen, %2 min of games</source>
        <translation>Tổng: %1 phút dùng máy, %2 phút chơi game</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="133" />
        <source>Top apps: %1</source>
        <translation>Ứng dụng dùng nhiều: %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="133" />
        <location filename="../../app/gui/reports_view.py" line="134" />
        <source>min</source>
        <translation>phút</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="134" />
        <source>Games: %1</source>
        <translation>Trò chơi: %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="135" />
        <source>Blocked websites by category: %1</source>
        <translation>Trang web bị chặn theo nhóm: %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="135" />
        <source>tries</source>
        <translation>lần</translation>
    </message>
    <message>
        <location filename="../../app/gui/reports_view.py" line="139" />
        <source>Export report</source>
        <translation>Xuất báo cáo</translation>
    </message>
</context>
<context>
    <name>RequestCard</name>
    <message>
        <location filename="../../app/gui/overview.py" line="43" />
        <source>games</source>
        <translation>chơi game</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="43" />
        <source>screen time</source>
        <translation>dùng máy</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="44" />
        <source>%1 asks for %2 more minutes of %3</source>
        <translation>%1 xin thêm %2 phút %3</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="47" />
        <source>: “%1”</source>
        <translation>: “%1”</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="54" />
        <source>+%1 min</source>
        <translation>+%1 phút</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="55" />
        <source>Give %1 more minutes</source>
        <translation>Cho thêm %1 phút</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="59" />
        <source>Other…</source>
        <translation>Khác…</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="60" />
        <source>Give another number of minutes</source>
        <translation>Cho thêm số phút khác</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="64" />
        <source>Decline…</source>
        <translation>Từ chối…</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="65" />
        <source>Decline with a message</source>
        <translation>Từ chối kèm lời nhắn</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="71" />
        <source>More time</source>
        <translation>Thêm thời gian</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="71" />
        <source>Minutes to give:</source>
        <translation>Số phút cho thêm:</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="77" />
        <source>Decline</source>
        <translation>Từ chối</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="77" />
        <source>A message for your child (optional):</source>
        <translation>Lời nhắn cho con (không bắt buộc):</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="85" />
        <source>Sending your answer…</source>
        <translation>Đang gửi câu trả lời…</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="91" />
        <source>Granted %1 minutes</source>
        <translation>Đã cho thêm %1 phút</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="93" />
        <source>Declined</source>
        <translation>Đã từ chối</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="100" />
        <source>Could not send the answer: %1</source>
        <translation>Không gửi được câu trả lời: %1</translation>
    </message>
    <message>
        <source>Granted %1 minutes for today (the request was from %2)</source>
        <translation>Đã cho thêm %1 phút cho hôm nay (yêu cầu từ ngày %2)</translation>
    </message>
</context>
<context>
    <name>RuleEditor</name>
    <message>
        <location filename="../../app/gui/rules.py" line="62" />
        <source>Rule sections</source>
        <translation>Các nhóm quy tắc</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="63" />
        <source>Screen time</source>
        <translation>Thời gian dùng máy</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="64" />
        <source>Games</source>
        <translation>Trò chơi</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="65" />
        <source>Apps</source>
        <translation>Ứng dụng</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="66" />
        <source>Web</source>
        <translation>Web</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="67" />
        <source>At the limit and privacy</source>
        <translation>Khi hết giờ và quyền riêng tư</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="70" />
        <source>Result of sending the rules</source>
        <translation>Kết quả gửi quy tắc</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="71" />
        <source>Save and send to the child's PC</source>
        <translation>Lưu và gửi tới máy của con</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="94" />
        <source>Screen time allowed each day (minutes)</source>
        <translation>Thời gian dùng máy mỗi ngày (phút)</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="99" />
        <source>Screen minutes on %1</source>
        <translation>Số phút dùng máy vào %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="100" />
        <location filename="../../app/gui/rules.py" line="127" />
        <location filename="../../app/gui/rules.py" line="131" />
        <source>No limit</source>
        <translation>Không giới hạn</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="106" />
        <source>When the PC may be used (drag to draw, move or resize; double-click removes)</source>
        <translation>Khung giờ được dùng máy (kéo để vẽ, di chuyển hoặc đổi độ dài; nhấp đúp để xóa)</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="110" />
        <source>Weekly allowed times</source>
        <translation>Khung giờ được dùng trong tuần</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="115" />
        <source>Screen minutes on public holidays</source>
        <translation>Số phút dùng máy vào ngày lễ</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="116" />
        <source>Same as the weekday</source>
        <translation>Như ngày thường</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="117" />
        <source>Public holidays (Vietnam)</source>
        <translation>Ngày lễ (Việt Nam)</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="126" />
        <source>Game minutes per day</source>
        <translation>Số phút chơi game mỗi ngày</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="128" />
        <source>All games together, per day</source>
        <translation>Tổng các trò chơi, mỗi ngày</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="130" />
        <source>Minutes per game</source>
        <translation>Số phút mỗi trò chơi</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="132" />
        <source>Each game, per day</source>
        <translation>Mỗi trò chơi, mỗi ngày</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="134" />
        <source>Reminder every so many minutes</source>
        <translation>Nhắc nhở sau mỗi bấy nhiêu phút</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="135" />
        <source>No reminder</source>
        <translation>Không nhắc</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="136" />
        <source>Remind the child every</source>
        <translation>Nhắc con sau mỗi</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="139" />
        <source>Game from the catalog</source>
        <translation>Trò chơi trong danh mục</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="142" />
        <source>Minutes for this game</source>
        <translation>Số phút cho trò chơi này</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="144" />
        <source>Set limit</source>
        <translation>Đặt giới hạn</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="145" />
        <source>Set a limit for this game</source>
        <translation>Đặt giới hạn cho trò chơi này</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="151" />
        <source>One game's own limit</source>
        <translation>Giới hạn riêng cho một trò</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="153" />
        <location filename="../../app/gui/rules.py" line="158" />
        <source>Games with their own limit</source>
        <translation>Trò chơi có giới hạn riêng</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="154" />
        <source>Remove selected</source>
        <translation>Xóa mục đã chọn</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="155" />
        <source>Remove the selected game limit</source>
        <translation>Xóa giới hạn của trò chơi đã chọn</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="176" />
        <source>%1 — %2 min</source>
        <translation>%1 — %2 phút</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="183" />
        <source>One app per line: its catalog id (minecraft) or its program name without .exe (zalo).</source>
        <translation>Mỗi dòng một ứng dụng: mã trong danh mục (minecraft) hoặc tên chương trình không có .exe (zalo).</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="187" />
        <source>Always allowed apps</source>
        <translation>Ứng dụng luôn được phép</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="189" />
        <source>Always allowed (school, calls)</source>
        <translation>Luôn được phép (học tập, gọi điện)</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="192" />
        <source>Blocked apps</source>
        <translation>Ứng dụng bị chặn</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="194" />
        <source>Blocked</source>
        <translation>Bị chặn</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="201" />
        <source>Block these kinds of websites</source>
        <translation>Chặn các loại trang web này</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="218" />
        <source>Sites always allowed</source>
        <translation>Trang luôn được phép</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="220" />
        <source>Always allow (one site per line)</source>
        <translation>Luôn cho phép (mỗi dòng một trang)</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="223" />
        <source>Sites always blocked</source>
        <translation>Trang luôn bị chặn</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="225" />
        <source>Always block (one site per line)</source>
        <translation>Luôn chặn (mỗi dòng một trang)</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="231" />
        <source>YouTube restriction</source>
        <translation>Mức hạn chế YouTube</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="232" />
        <source>Off</source>
        <translation>Tắt</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="232" />
        <source>Moderate</source>
        <translation>Vừa phải</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="232" />
        <source>Strict</source>
        <translation>Nghiêm ngặt</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="234" />
        <source>YouTube restricted mode</source>
        <translation>Chế độ hạn chế của YouTube</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="245" />
        <location filename="../../app/gui/rules.py" line="249" />
        <source>When screen time is up</source>
        <translation>Khi hết giờ dùng máy</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="246" />
        <source>Lock the PC</source>
        <translation>Khóa máy</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="246" />
        <source>Log out</source>
        <translation>Đăng xuất</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="247" />
        <location filename="../../app/gui/rules.py" line="252" />
        <source>Only tell the child</source>
        <translation>Chỉ báo cho con biết</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="251" />
        <location filename="../../app/gui/rules.py" line="254" />
        <source>When game time is up</source>
        <translation>Khi hết giờ chơi game</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="252" />
        <source>Close the game</source>
        <translation>Đóng trò chơi</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="257" />
        <source> s</source>
        <translation> giây</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="258" />
        <source>Seconds to save work before acting</source>
        <translation>Số giây để lưu bài trước khi thực hiện</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="259" />
        <source>Time to save work first</source>
        <translation>Thời gian để lưu bài trước</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="261" />
        <source>Which apps were used and for how long</source>
        <translation>Ứng dụng nào đã dùng và trong bao lâu</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="262" />
        <source>Window titles</source>
        <translation>Tiêu đề cửa sổ</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="263" />
        <source>Full web addresses</source>
        <translation>Địa chỉ web đầy đủ</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="264" />
        <source>Blocked website categories</source>
        <translation>Nhóm trang web bị chặn</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="267" />
        <source>What the child's PC reports to you:</source>
        <translation>Máy của con báo cho bạn những gì:</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="272" />
        <source> days</source>
        <translation> ngày</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="273" />
        <location filename="../../app/gui/rules.py" line="274" />
        <source>Keep reports for</source>
        <translation>Giữ báo cáo trong</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="279" />
        <source>Mon</source>
        <translation>Thứ 2</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="279" />
        <source>Tue</source>
        <translation>Thứ 3</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="279" />
        <source>Wed</source>
        <translation>Thứ 4</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="279" />
        <source>Thu</source>
        <translation>Thứ 5</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="279" />
        <source>Fri</source>
        <translation>Thứ 6</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="279" />
        <source>Sat</source>
        <translation>Thứ 7</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="280" />
        <source>Sun</source>
        <translation>CN</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="371" />
        <source>Please fix the fields marked in red; nothing was sent.</source>
        <translation>Vui lòng sửa các ô được đánh dấu đỏ; chưa có gì được gửi.</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="375" />
        <source>Sending…</source>
        <translation>Đang gửi…</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="382" />
        <source>Saved. No PC is paired with this child yet, so nothing was sent.</source>
        <translation>Đã lưu. Chưa có máy nào của bé được ghép nối nên chưa gửi đi.</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="384" />
        <source>Applied on %1 at %2 (version %3)</source>
        <translation>Đã áp dụng trên %1 lúc %2 (phiên bản %3)</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="395" />
        <source>Not applied: %1</source>
        <translation>Chưa áp dụng: %1</translation>
    </message>
    <message>
        <source>In force on %1: version %2.</source>
        <translation>Đang áp dụng trên %1: phiên bản %2.</translation>
    </message>
    <message>
        <source>Could not read the rules in force on the PC: %1</source>
        <translation>Không đọc được quy tắc đang áp dụng trên máy: %1</translation>
    </message>
    <message>
        <source>Rules changed on the PC</source>
        <translation>Quy tắc trên máy đã thay đổi</translation>
    </message>
    <message>
        <source>The rules on %1 were changed elsewhere (now version %2) after you opened them. Replace them with yours?</source>
        <translation>Quy tắc trên %1 đã được đổi ở nơi khác (nay là phiên bản %2) sau khi bạn mở chúng. Thay bằng quy tắc của bạn?</translation>
    </message>
    <message>
        <source>Showing the rules in force on %1 (version %2); your changes were not sent.</source>
        <translation>Đang hiện quy tắc đang áp dụng trên %1 (phiên bản %2); thay đổi của bạn chưa được gửi.</translation>
    </message>
    <message>
        <source>Line %1: </source>
        <translation>Dòng %1: </translation>
    </message>
    <message>
        <source>write the name without its extension: %1</source>
        <translation>viết tên không kèm phần mở rộng: %1</translation>
    </message>
    <message>
        <source>%1 is also in another list; choose one</source>
        <translation>%1 cũng có trong danh sách khác; hãy chọn một</translation>
    </message>
    <message>
        <source>overlaps another time window</source>
        <translation>trùng với một khung giờ khác</translation>
    </message>
    <message>
        <source>start and end are the same time</source>
        <translation>giờ bắt đầu và kết thúc trùng nhau</translation>
    </message>
    <message>
        <source>unknown web category %1</source>
        <translation>không có nhóm trang web %1</translation>
    </message>
    <message>
        <source>not a valid app name (lower-case letters, digits, . _ + -)</source>
        <translation>tên ứng dụng không hợp lệ (chữ thường, chữ số, . _ + -)</translation>
    </message>
    <message>
        <source>too many lines (at most %1)</source>
        <translation>quá nhiều dòng (tối đa %1)</translation>
    </message>
    <message>
        <source>must be between %1 and %2</source>
        <translation>phải từ %1 đến %2</translation>
    </message>
    <message>
        <source>%1 is not accepted here</source>
        <translation>%1 không dùng được ở đây</translation>
    </message>
    <message>
        <source>this value is not accepted</source>
        <translation>giá trị này không dùng được</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="1"/>
        <source>%1 and %2</source>
        <translation>%1 và %2</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="1"/>
        <source>SafeSearch on %1</source>
        <translation>Tìm kiếm an toàn (SafeSearch) trên %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/rules.py" line="1"/>
        <source>While it is on, %1 are blocked: their safe mode cannot be forced.</source>
        <translation>Khi bật, %1 bị chặn vì không thể buộc chế độ tìm kiếm an toàn của chúng.</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../../app/gui/settings.py" line="50" />
        <source>Language</source>
        <translation>Ngôn ngữ</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="53" />
        <source>Console language</source>
        <translation>Ngôn ngữ của bảng điều khiển</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="62" />
        <source>Parent PIN</source>
        <translation>Mã PIN của cha mẹ</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="65" />
        <source>Current PIN</source>
        <translation>Mã PIN hiện tại</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="65" />
        <source>New PIN</source>
        <translation>Mã PIN mới</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="69" />
        <source>Change PIN</source>
        <translation>Đổi mã PIN</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="76" />
        <source>Devices</source>
        <translation>Thiết bị</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="79" />
        <source>Paired PCs</source>
        <translation>Các máy đã ghép nối</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="83" />
        <source>Rename…</source>
        <translation>Đổi tên…</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="84" />
        <source>Unpair…</source>
        <translation>Huỷ ghép nối…</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="96" />
        <source>Data</source>
        <translation>Dữ liệu</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="98" />
        <source>Export all data…</source>
        <translation>Xuất toàn bộ dữ liệu…</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="99" />
        <location filename="../../app/gui/settings.py" line="206" />
        <source>Export all data</source>
        <translation>Xuất toàn bộ dữ liệu</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="102" />
        <source>Hide this PC's history…</source>
        <translation>Ẩn lịch sử của máy này…</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="103" />
        <source>Hide the selected PC's report history</source>
        <translation>Ẩn lịch sử báo cáo của máy đã chọn</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="109" />
        <source>About</source>
        <translation>Giới thiệu</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="111" />
        <source>Version</source>
        <translation>Phiên bản</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="114" />
        <location filename="../../app/gui/settings.py" line="115" />
        <source>This console's device ID</source>
        <translation>Mã thiết bị của bảng điều khiển này</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="116" />
        <source>Key storage</source>
        <translation>Nơi giữ khóa</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="136" />
        <source>PIN changed.</source>
        <translation>Đã đổi mã PIN.</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="142" />
        <source>Too many wrong tries; wait %1 seconds.</source>
        <translation>Nhập sai quá nhiều lần; hãy đợi %1 giây.</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="144" />
        <source>The current PIN is wrong.</source>
        <translation>Mã PIN hiện tại không đúng.</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="146" />
        <source>The new PIN must be 4 to 12 digits.</source>
        <translation>Mã PIN mới phải gồm 4 đến 12 chữ số.</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="169" />
        <source>Rename PC</source>
        <translation>Đổi tên máy</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="169" />
        <source>New name:</source>
        <translation>Tên mới:</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="174" />
        <source>The name must be 1 to 40 characters.</source>
        <translation>Tên phải từ 1 đến 40 ký tự.</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="183" />
        <source>Unpair</source>
        <translation>Huỷ ghép nối</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="184" />
        <source>Unpair this PC? It will stop following your rules until it is paired again.</source>
        <translation>Huỷ ghép nối máy này? Máy sẽ không theo quy tắc của bạn nữa cho đến khi được ghép nối lại.</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="202" />
        <source>Reports so far from this PC were deleted from this console.</source>
        <translation>Các báo cáo đến nay của máy này đã được xoá khỏi bảng điều khiển này.</translation>
    </message>
    <message>
        <source>Pair a PC…</source>
        <translation>Ghép nối máy…</translation>
    </message>
    <message>
        <source>Add a child…</source>
        <translation>Thêm con…</translation>
    </message>
    <message>
        <source>the system keyring</source>
        <translation>kho khóa của hệ thống</translation>
    </message>
    <message>
        <source>a key file only your account can read</source>
        <translation>một tệp khóa chỉ tài khoản của bạn đọc được</translation>
    </message>
</context>
<context>
    <name>SiteRequestCard</name>
    <message>
        <location filename="../../app/gui/overview.py" line="1"/>
        <source>Allow this site</source>
        <translation>Cho phép trang này</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="1"/>
        <source>Allow %1 for %2</source>
        <translation>Cho %2 mở %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="1"/>
        <source>%1 asks to open %2</source>
        <translation>%1 xin mở %2</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="1"/>
        <source> (blocked as %1)</source>
        <translation> (bị chặn vì thuộc loại %1)</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="1"/>
        <source>Allowing %1…</source>
        <translation>Đang cho phép %1…</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="1"/>
        <source>%1 is allowed for %2: it opens on their PC within a few seconds.</source>
        <translation>Đã cho phép %2 vào %1: trang sẽ mở được trên máy của con sau vài giây.</translation>
    </message>
    <message>
        <location filename="../../app/gui/overview.py" line="1"/>
        <source>Could not allow %1: %2</source>
        <translation>Không cho phép được %1: %2</translation>
    </message>
</context>
<context>
    <name>AddChildDialog</name>
    <message>
        <source>Add a child</source>
        <translation>Thêm con</translation>
    </message>
</context>
<context>
    <name>ChildForm</name>
    <message>
        <source>Child's name</source>
        <translation>Tên của con</translation>
    </message>
    <message>
        <source>Birth year</source>
        <translation>Năm sinh</translation>
    </message>
    <message>
        <source>Vietnam game-time rule</source>
        <translation>Quy định thời gian chơi game của Việt Nam</translation>
    </message>
    <message>
        <source>Decree 147/2024: at most 60 minutes per game and 180 minutes of games a day for under-18s.</source>
        <translation>Nghị định 147/2024: người dưới 18 tuổi chơi tối đa 60 phút mỗi trò và 180 phút chơi game mỗi ngày.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Tên</translation>
    </message>
    <message>
        <source>Age %1: rules for ages %2</source>
        <translation>%1 tuổi: quy tắc cho độ tuổi %2</translation>
    </message>
    <message>
        <source>Please type a name (1 to 40 characters).</source>
        <translation>Hãy nhập tên (1 đến 40 ký tự).</translation>
    </message>
</context>
<context>
    <name>PairDialog</name>
    <message>
        <source>Pair a PC</source>
        <translation>Ghép nối máy</translation>
    </message>
    <message>
        <source>On the child's PC, Sprout shows a code like ABCD-1234. Choose the child, then the PC, and type the code.</source>
        <translation>Trên máy của con, Mầm hiện một mã như ABCD-1234. Chọn con, rồi chọn máy và nhập mã.</translation>
    </message>
    <message>
        <source>Whose PC</source>
        <translation>Máy của con nào</translation>
    </message>
    <message>
        <source>Child</source>
        <translation>Con</translation>
    </message>
</context>
<context>
    <name>PairForm</name>
    <message>
        <source>Child's PC address</source>
        <translation>Địa chỉ máy tính của con</translation>
    </message>
    <message>
        <source>found on your network, or HOST:PORT</source>
        <translation>tìm thấy trong mạng nhà bạn, hoặc MÁY:CỔNG</translation>
    </message>
    <message>
        <source>Search the network</source>
        <translation>Tìm trong mạng</translation>
    </message>
    <message>
        <source>Pairing code</source>
        <translation>Mã ghép nối</translation>
    </message>
    <message>
        <source>Pair</source>
        <translation>Ghép nối</translation>
    </message>
    <message>
        <source>Pair with this PC</source>
        <translation>Ghép nối với máy này</translation>
    </message>
    <message>
        <source>PC</source>
        <translation>Máy tính</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Mã</translation>
    </message>
    <message>
        <source>Add a child first: the PC follows that child's rules.</source>
        <translation>Hãy thêm con trước: máy sẽ theo quy tắc của con.</translation>
    </message>
    <message>
        <source>Choose the child's PC or type its address (HOST:PORT).</source>
        <translation>Hãy chọn máy tính của con hoặc nhập địa chỉ (MÁY:CỔNG).</translation>
    </message>
    <message>
        <source>The code has 8 letters or digits, like ABCD-1234.</source>
        <translation>Mã gồm 8 chữ cái hoặc chữ số, dạng ABCD-1234.</translation>
    </message>
    <message>
        <source>Pairing…</source>
        <translation>Đang ghép nối…</translation>
    </message>
    <message>
        <source>Paired with %1 — device ID %2. Sending the rules…</source>
        <translation>Đã ghép nối với %1 — mã thiết bị %2. Đang gửi quy tắc…</translation>
    </message>
    <message>
        <source>Sending the rules…</source>
        <translation>Đang gửi quy tắc…</translation>
    </message>
    <message>
        <source>Rules applied on the PC.</source>
        <translation>Máy đã áp dụng quy tắc.</translation>
    </message>
    <message>
        <source>Not paired: %1</source>
        <translation>Chưa ghép nối được: %1</translation>
    </message>
</context>
<context>
    <name>HarmfulCard</name>
    <message>
        <source>%1 reported something harmful (%2)</source>
        <translation>%1 đã báo một điều có hại (%2)</translation>
    </message>
    <message>
        <source>“%1”</source>
        <translation>“%1”</translation>
    </message>
    <message>
        <source>What %1 wrote</source>
        <translation>Điều %1 đã viết</translation>
    </message>
    <message>
        <source>Talk with %1 calmly and thank them for telling you. If someone is in danger, call the child-protection hotline 111 (free, day and night).</source>
        <translation>Hãy bình tĩnh trò chuyện với %1 và cảm ơn con vì đã kể. Nếu có ai đang gặp nguy hiểm, hãy gọi Tổng đài bảo vệ trẻ em 111 (miễn phí, cả ngày lẫn đêm).</translation>
    </message>
</context><context>
    <name>Errors</name>
    <message>
        <source>it already has newer rules.</source>
        <translation>máy đã có quy tắc mới hơn.</translation>
    </message>
    <message>
        <source>the request was already answered.</source>
        <translation>yêu cầu đã được trả lời rồi.</translation>
    </message>
    <message>
        <source>The PC cannot be reached. Is it switched on and connected to the network?</source>
        <translation>Không kết nối được với máy. Máy có đang bật và có mạng không?</translation>
    </message>
    <message>
        <source>The PC's answer was damaged on the way. Try again.</source>
        <translation>Câu trả lời của máy bị hỏng trên đường truyền. Hãy thử lại.</translation>
    </message>
    <message>
        <source>This PC does not know this console any more. Pair it again in Settings.</source>
        <translation>Máy này không còn nhận ra bảng điều khiển này. Hãy ghép nối lại trong Cài đặt.</translation>
    </message>
    <message>
        <source>This PC was unpaired from this console. Pair it again in Settings.</source>
        <translation>Máy này đã bị huỷ ghép nối với bảng điều khiển này. Hãy ghép nối lại trong Cài đặt.</translation>
    </message>
    <message>
        <source>The PC refused a repeated message. Try again.</source>
        <translation>Máy từ chối một tin nhắn bị lặp lại. Hãy thử lại.</translation>
    </message>
    <message>
        <source>The PC refused a message that failed its checks.</source>
        <translation>Máy từ chối một tin nhắn không qua được kiểm tra.</translation>
    </message>
    <message>
        <source>The PC kept its rules: %1</source>
        <translation>Máy giữ nguyên quy tắc: %1</translation>
    </message>
    <message>
        <source>The PC did not take the answer: %1</source>
        <translation>Máy không nhận câu trả lời: %1</translation>
    </message>
    <message>
        <source>The PC is not showing a pairing code right now. Ask for a new code on the PC.</source>
        <translation>Máy hiện không hiển thị mã ghép nối. Hãy lấy mã mới trên máy.</translation>
    </message>
    <message>
        <source>This pairing code has expired. Ask for a new code on the PC.</source>
        <translation>Mã ghép nối này đã hết hạn. Hãy lấy mã mới trên máy.</translation>
    </message>
    <message>
        <source>The code did not match. Check it on the PC and ask for a new one.</source>
        <translation>Mã không khớp. Hãy xem lại trên máy và lấy mã mới.</translation>
    </message>
    <message>
        <source>Another pairing is in progress. Try again in a minute.</source>
        <translation>Đang có một lần ghép nối khác. Hãy thử lại sau một phút.</translation>
    </message>
</context><context>
    <name>NewAppCard</name>
    <message>
        <source>A new program, %1, was full screen on %2 for %3 minutes. Is it a game?</source>
        <translation>Một chương trình mới, %1, đã chạy toàn màn hình trên %2 trong %3 phút. Đó có phải trò chơi không?</translation>
    </message>
    <message>
        <source>Counting it as a game gives it game time and the game limits, whatever it is renamed to or wherever it is moved.</source>
        <translation>Nếu tính là trò chơi, chương trình này sẽ dùng giờ chơi game và theo giới hạn game, dù con đổi tên hay chuyển nó đi đâu.</translation>
    </message>
    <message>
        <source>Count it as a game</source>
        <translation>Tính là trò chơi</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Đang lưu…</translation>
    </message>
    <message>
        <source>Counted as a game</source>
        <translation>Đã tính là trò chơi</translation>
    </message>
    <message>
        <source>Done: it now uses game time and closes at the game limits.</source>
        <translation>Xong: từ giờ nó dùng giờ chơi game và sẽ đóng khi hết giờ chơi.</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>Chưa lưu: %1</translation>
    </message>
</context>
</TS>
