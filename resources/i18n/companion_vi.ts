<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi">
  <context>
    <name>Category</name>
    <message>
      <source>adult content</source>
      <translation>nội dung người lớn</translation>
    </message>
    <message>
      <source>gambling</source>
      <translation>cờ bạc</translation>
    </message>
    <message>
      <source>games</source>
      <translation>trò chơi</translation>
    </message>
    <message>
      <source>social networks</source>
      <translation>mạng xã hội</translation>
    </message>
    <message>
      <source>video</source>
      <translation>video</translation>
    </message>
    <message>
      <source>violence</source>
      <translation>bạo lực</translation>
    </message>
    <message>
      <source>drugs</source>
      <translation>chất gây nghiện</translation>
    </message>
    <message>
      <source>dating</source>
      <translation>hẹn hò</translation>
    </message>
    <message>
      <source>self-harm</source>
      <translation>tự làm hại bản thân</translation>
    </message>
    <message>
      <source>dangerous software</source>
      <translation>phần mềm nguy hiểm</translation>
    </message>
    <message>
      <source>ways around the filter</source>
      <translation>cách vượt bộ lọc</translation>
    </message>
    <message>
      <source>chatting with strangers</source>
      <translation>trò chuyện với người lạ</translation>
    </message>
    <message>
      <source>not allowed by your parents</source>
      <translation>bố mẹ chưa cho phép</translation>
    </message>
  </context>
  <context>
    <name>Companion</name>
    <message>
      <source>Sprout is not answering right now. Try again in a moment.</source>
      <translation>Mầm chưa trả lời lúc này. Con thử lại sau một chút nhé.</translation>
    </message>
    <message>
      <source>Ask for more time</source>
      <translation>Xin thêm thời gian</translation>
    </message>
    <message>
      <source>Tell your parents how much time you need and why.</source>
      <translation>Con nói với bố mẹ con cần thêm bao lâu và vì sao nhé.</translation>
    </message>
    <message>
      <source>Your request goes to your parents. They decide, and you will see their answer here.</source>
      <translation>Lời xin của con sẽ gửi đến bố mẹ. Bố mẹ quyết định, và con sẽ thấy câu trả lời ở đây.</translation>
    </message>
    <message>
      <source>&amp;Minutes:</source>
      <translation>&amp;Số phút:</translation>
    </message>
    <message>
      <source>min</source>
      <translation>phút</translation>
    </message>
    <message>
      <source>How many minutes</source>
      <translation>Bao nhiêu phút</translation>
    </message>
    <message>
      <source>&amp;For:</source>
      <translation>&amp;Dùng cho:</translation>
    </message>
    <message>
      <source>Screen time</source>
      <translation>Dùng máy</translation>
    </message>
    <message>
      <source>Games</source>
      <translation>Chơi game</translation>
    </message>
    <message>
      <source>&amp;Why:</source>
      <translation>&amp;Vì sao:</translation>
    </message>
    <message>
      <source>For example: I am finishing my homework</source>
      <translation>Ví dụ: con đang làm nốt bài tập</translation>
    </message>
    <message>
      <source>Why you need more time</source>
      <translation>Vì sao con cần thêm thời gian</translation>
    </message>
    <message>
      <source>&amp;Send to my parents</source>
      <translation>&amp;Gửi bố mẹ</translation>
    </message>
    <message>
      <source>&amp;Close</source>
      <translation>Đó&amp;ng</translation>
    </message>
    <message>
      <source>Sent! Your parents will see your request. You will get a message here when they answer.</source>
      <translation>Đã gửi! Bố mẹ sẽ thấy lời xin của con. Khi bố mẹ trả lời, con sẽ nhận được tin nhắn ở đây.</translation>
    </message>
    <message>
      <source>This could not be sent. Try again in a moment.</source>
      <translation>Chưa gửi được. Con thử lại sau một chút nhé.</translation>
    </message>
    <message>
      <source>Sprout</source>
      <translation>Mầm</translation>
    </message>
    <message>
      <source>&amp;Ask for more time</source>
      <translation>&amp;Xin thêm thời gian</translation>
    </message>
    <message>
      <source>&amp;Report something harmful</source>
      <translation>&amp;Báo điều không an toàn</translation>
    </message>
    <message>
      <source>&amp;OK</source>
      <translation>Đã &amp;hiểu</translation>
    </message>
    <message>
      <source>Report something harmful</source>
      <translation>Báo điều không an toàn</translation>
    </message>
    <message>
      <source>Did you see something that scared or hurt you, or someone who made you feel unsafe? Tell your parents here. It is not your fault.</source>
      <translation>Con có thấy điều gì làm con sợ hay bị tổn thương, hoặc ai đó làm con thấy không an toàn không? Hãy kể với bố mẹ ở đây. Đó không phải lỗi của con.</translation>
    </message>
    <message>
      <source>&amp;What happened:</source>
      <translation>&amp;Chuyện gì đã xảy ra:</translation>
    </message>
    <message>
      <source>What happened</source>
      <translation>Chuyện gì đã xảy ra</translation>
    </message>
    <message>
      <source>&amp;More (optional):</source>
      <translation>&amp;Thêm (nếu muốn):</translation>
    </message>
    <message>
      <source>More details, optional</source>
      <translation>Kể thêm, nếu con muốn</translation>
    </message>
    <message>
      <source>Write a few words about what happened.</source>
      <translation>Con viết vài chữ về chuyện đã xảy ra nhé.</translation>
    </message>
    <message>
      <source>Screen time is over for now. Next time starts at {time}.</source>
      <translation>Đã hết giờ dùng máy lúc này. Lần tới bắt đầu lúc {time}.</translation>
    </message>
    <message>
      <source>Screen time is over for today.</source>
      <translation>Hôm nay đã hết giờ dùng máy.</translation>
    </message>
    <message>
      <source>Allowed again: tomorrow</source>
      <translation>Được dùng lại: ngày mai</translation>
    </message>
    <message>
      <source>Allowed again: at {time}</source>
      <translation>Được dùng lại: lúc {time}</translation>
    </message>
    <message>
      <source>This</source>
      <translation>Mục này</translation>
    </message>
    <message>
      <source>Worried or unsafe? Call 111 — free, any time, day or night.</source>
      <translation>Con lo lắng hay thấy không an toàn? Gọi 111 — miễn phí, cả ngày lẫn đêm.</translation>
    </message>
    <message>
      <source>Screen time: no limit today</source>
      <translation>Thời gian dùng máy: hôm nay không giới hạn</translation>
    </message>
    <message>
      <source>Screen time left: {time}</source>
      <translation>Thời gian dùng máy còn: {time}</translation>
    </message>
    <message>
      <source>Game time: no limit today</source>
      <translation>Thời gian chơi game: hôm nay không giới hạn</translation>
    </message>
    <message>
      <source>Game time left: {time}</source>
      <translation>Thời gian chơi game còn: {time}</translation>
    </message>
    <message>
      <source>Hello!</source>
      <translation>Xin chào!</translation>
    </message>
    <message>
      <source>Hi, {name}</source>
      <translation>Chào {name}</translation>
    </message>
    <message>
      <source>Hello, {name}!</source>
      <translation>Chào {name}!</translation>
    </message>
    <message>
      <source>Thank you for telling us. It has been sent to your parents; they will read it in their Sprout console.</source>
      <translation>Cảm ơn con đã kể. Điều con viết đã được gửi cho bố mẹ; bố mẹ sẽ đọc được trong Mầm của bố mẹ.</translation>
    </message>
    <message>
      <source>This time is for today.</source>
      <translation>Thời gian này dành cho hôm nay.</translation>
    </message>
    <message>
      <source>This time is for today (you asked on {date}).</source>
      <translation>Thời gian này dành cho hôm nay (con đã xin từ ngày {date}).</translation>
    </message>
    <message>
      <source>Screen time is over</source>
      <translation>Hết giờ dùng máy rồi</translation>
    </message>
    <message>
      <source>This PC could not lock itself, so Sprout covers the screen until your time starts again. Your parents have been told.</source>
      <translation>Máy không tự khóa được, nên Mầm che màn hình cho đến khi con lại được dùng máy. Bố mẹ đã được báo.</translation>
    </message>
    <message>
      <source>Parent's &amp;PIN:</source>
      <translation>&amp;Mã PIN của bố mẹ:</translation>
    </message>
    <message>
      <source>Parent's PIN</source>
      <translation>Mã PIN của bố mẹ</translation>
    </message>
    <message>
      <source>&amp;Unlock</source>
      <translation>Mở &amp;khóa</translation>
    </message>
    <message>
      <source>Too many tries. Wait a little, then try again.</source>
      <translation>Thử sai nhiều lần quá. Đợi một lát rồi thử lại nhé.</translation>
    </message>
    <message>
      <source>That PIN is not right.</source>
      <translation>Mã PIN chưa đúng.</translation>
    </message>
    <message>
      <source>Sprout is not answering just now. If it stays off, your parents will be told.</source>
      <translation>Mầm đang không trả lời. Nếu Mầm tắt lâu, bố mẹ sẽ được báo.</translation>
    </message>
    <message>
      <source>Five requests are already waiting for your parents. Wait for their answer first.</source>
      <translation>Đã có năm lời xin đang chờ bố mẹ. Con đợi bố mẹ trả lời trước nhé.</translation>
    </message>
    <message>
      <source>Ask for 5 to 240 minutes.</source>
      <translation>Con xin từ 5 đến 240 phút nhé.</translation>
    </message>
      <message>
      <source>Your parents paused the computer until {time}</source>
      <translation>Bố mẹ cho máy nghỉ đến {time}</translation>
    </message>
    <message>
      <source>Your parents paused the computer</source>
      <translation>Bố mẹ cho máy nghỉ một lát</translation>
    </message>
    <message>
      <source>Time for a break. Nothing is counted while it rests, and it opens again by itself at {time}.</source>
      <translation>Đến giờ nghỉ rồi. Lúc máy nghỉ không tính giờ của bạn, và máy tự mở lại lúc {time}.</translation>
    </message>
    <message>
      <source>Time for a break. Nothing is counted while it rests; your parents will open it again.</source>
      <translation>Đến giờ nghỉ rồi. Lúc máy nghỉ không tính giờ của bạn; bố mẹ sẽ mở lại cho bạn.</translation>
    </message>
    <message>
      <source>The computer is open again</source>
      <translation>Máy đã mở lại rồi</translation>
    </message>
    <message>
      <source>The break is over. Your usual rules apply again.</source>
      <translation>Hết giờ nghỉ. Máy lại theo nếp quen thường ngày.</translation>
    </message>
    <message>
      <source>The internet is resting until {time}</source>
      <translation>Internet đang nghỉ đến {time}</translation>
    </message>
    <message>
      <source>The internet is resting for a while</source>
      <translation>Internet đang nghỉ một lát</translation>
    </message>
    <message>
      <source>Your parents paused the internet for a while. Websites open again when the pause ends; help lines such as 111 still work.</source>
      <translation>Bố mẹ cho Internet nghỉ một lát. Các trang web sẽ mở lại khi hết giờ nghỉ; đường dây trợ giúp như 111 vẫn dùng được.</translation>
    </message>
    <message>
      <source>The internet is back</source>
      <translation>Internet đã trở lại</translation>
    </message>
    <message>
      <source>Your parents turned the internet back on.</source>
      <translation>Bố mẹ đã bật lại Internet cho bạn.</translation>
    </message>
    <message>
      <source>Your parents paused the computer until {time}.</source>
      <translation>Bố mẹ cho máy nghỉ đến {time}.</translation>
    </message>
    <message>
      <source>Your parents paused the computer until they open it again.</source>
      <translation>Bố mẹ cho máy nghỉ đến khi bố mẹ mở lại.</translation>
    </message>
    <message>
      <source>Your parents paused this computer for a while. It could not lock itself, so Sprout covers the screen.</source>
      <translation>Bố mẹ cho máy này nghỉ một lát. Máy không tự khóa được, nên Mầm che màn hình.</translation>
    </message>
    <message>
      <source>Time for a break</source>
      <translation>Đến giờ nghỉ rồi</translation>
    </message>
</context>
  <context>
    <name>Duration</name>
    <message>
      <source>no limit</source>
      <translation>không giới hạn</translation>
    </message>
    <message>
      <source>less than a minute</source>
      <translation>chưa đến một phút</translation>
    </message>
    <message>
      <source>{h} h {m} min</source>
      <translation>{h} giờ {m} phút</translation>
    </message>
    <message>
      <source>{h} h</source>
      <translation>{h} giờ</translation>
    </message>
    <message>
      <source>{m} min</source>
      <translation>{m} phút</translation>
    </message>
  </context>
  <context>
    <name>Notice0to6</name>
    <message>
      <source>Almost time to stop</source>
      <translation>Sắp đến giờ nghỉ rồi</translation>
    </message>
    <message>
      <source>{time} left.</source>
      <translation>Còn {time}.</translation>
    </message>
    <message>
      <source>Game time almost done</source>
      <translation>Sắp hết giờ chơi rồi</translation>
    </message>
    <message>
      <source>Time for a break</source>
      <translation>Nghỉ một chút nào</translation>
    </message>
    <message>
      <source>Stretch and drink some water.</source>
      <translation>Vươn vai và uống nước nhé.</translation>
    </message>
    <message>
      <source>Not this one</source>
      <translation>Chưa dùng cái này nhé</translation>
    </message>
    <message>
      <source>{what} is not for now.</source>
      <translation>Bây giờ chưa dùng {what}.</translation>
    </message>
    <message>
      <source>Game time is done</source>
      <translation>Hết giờ chơi rồi</translation>
    </message>
    <message>
      <source>{what} is closed. Play again tomorrow!</source>
      <translation>{what} đã tắt. Mai chơi tiếp nhé!</translation>
    </message>
    <message>
      <source>Screen time is done</source>
      <translation>Hết giờ dùng máy rồi</translation>
    </message>
    <message>
      <source>The computer rests in {time}.</source>
      <translation>Máy tính sẽ nghỉ sau {time}.</translation>
    </message>
    <message>
      <source>Not this page</source>
      <translation>Trang này chưa xem được</translation>
    </message>
    <message>
      <source>This page is not for children.</source>
      <translation>Trang này không dành cho bạn nhỏ.</translation>
    </message>
    <message>
      <source>Yes! More time</source>
      <translation>Được rồi! Thêm giờ nhé</translation>
    </message>
    <message>
      <source>{time} more.</source>
      <translation>Thêm {time}.</translation>
    </message>
    <message>
      <source>Not today</source>
      <translation>Hôm nay chưa được</translation>
    </message>
    <message>
      <source>Let's do something else.</source>
      <translation>Mình chơi trò khác nhé.</translation>
    </message>
    <message>
      <source>Hello</source>
      <translation>Xin chào</translation>
    </message>
    <message>
      <source>A message from Sprout.</source>
      <translation>Mầm có lời nhắn.</translation>
    </message>
    <message>
      <source>Ask Mum or Dad.</source>
      <translation>Hỏi bố mẹ nhé.</translation>
    </message>
    <message>
      <source>Want more? Ask Mum or Dad.</source>
      <translation>Muốn thêm? Hỏi bố mẹ nhé.</translation>
    </message>
    <message>
      <source>The computer rests now.</source>
      <translation>Máy tính nghỉ ngơi ngay bây giờ.</translation>
    </message>
    <message>
      <source>{what} is done for today. Play again tomorrow!</source>
      <translation>Hôm nay {what} chơi đủ rồi. Mai chơi tiếp nhé!</translation>
    </message>
  </context>
  <context>
    <name>Notice11to13</name>
    <message>
      <source>{time} of screen time left</source>
      <translation>Còn {time} dùng máy</translation>
    </message>
    <message>
      <source>Today's screen time ends soon. Save your work now.</source>
      <translation>Thời gian dùng máy hôm nay sắp hết. Hãy lưu bài ngay nhé.</translation>
    </message>
    <message>
      <source>{time} of game time left</source>
      <translation>Còn {time} chơi game</translation>
    </message>
    <message>
      <source>{what} will close when game time runs out. Save your progress.</source>
      <translation>{what} sẽ tắt khi hết giờ chơi. Hãy lưu tiến trình nhé.</translation>
    </message>
    <message>
      <source>Break reminder</source>
      <translation>Nhắc nghỉ giải lao</translation>
    </message>
    <message>
      <source>You have been playing for a while. A short break helps your eyes.</source>
      <translation>Bạn đã chơi khá lâu. Nghỉ một chút sẽ tốt cho mắt.</translation>
    </message>
    <message>
      <source>{what} is blocked</source>
      <translation>{what} đang bị chặn</translation>
    </message>
    <message>
      <source>This app is on the list your parents blocked.</source>
      <translation>Ứng dụng này nằm trong danh sách bố mẹ đã chặn.</translation>
    </message>
    <message>
      <source>{what} was closed</source>
      <translation>{what} đã được tắt</translation>
    </message>
    <message>
      <source>You reached today's game time limit.</source>
      <translation>Bạn đã dùng hết giờ chơi game của hôm nay.</translation>
    </message>
    <message>
      <source>This session locks in {time}</source>
      <translation>Phiên dùng máy sẽ khóa sau {time}</translation>
    </message>
    <message>
      <source>Screen time is over for now. Save anything you are working on.</source>
      <translation>Đã hết giờ dùng máy lúc này. Hãy lưu những gì bạn đang làm.</translation>
    </message>
    <message>
      <source>Website blocked: {what}</source>
      <translation>Trang web bị chặn: {what}</translation>
    </message>
    <message>
      <source>It is in the category “{category}”, which your parents blocked.</source>
      <translation>Trang này thuộc nhóm “{category}”, nhóm bố mẹ đã chặn.</translation>
    </message>
    <message>
      <source>Request approved: {time} more</source>
      <translation>Đã được đồng ý: thêm {time}</translation>
    </message>
    <message>
      <source>Your parents said yes.</source>
      <translation>Bố mẹ đã đồng ý.</translation>
    </message>
    <message>
      <source>Request not approved</source>
      <translation>Lời xin chưa được đồng ý</translation>
    </message>
    <message>
      <source>Your parents said no this time.</source>
      <translation>Lần này bố mẹ chưa đồng ý.</translation>
    </message>
    <message>
      <source>Message from Sprout</source>
      <translation>Tin nhắn từ Mầm</translation>
    </message>
    <message>
      <source>Something changed on this computer.</source>
      <translation>Có thay đổi trên máy tính này.</translation>
    </message>
    <message>
      <source>Need it for school? Ask your parents to allow it.</source>
      <translation>Cần cho việc học? Hãy nhờ bố mẹ cho phép.</translation>
    </message>
    <message>
      <source>Need more time? Use “Ask for more time” to send a request.</source>
      <translation>Cần thêm thời gian? Dùng “Xin thêm thời gian” để gửi lời xin.</translation>
    </message>
    <message>
      <source>This session locks now</source>
      <translation>Phiên này khóa ngay bây giờ</translation>
    </message>
    <message>
      <source>Screen time is over for now.</source>
      <translation>Giờ dùng máy đã hết.</translation>
    </message>
    <message>
      <source>You reached this game's time limit for today.</source>
      <translation>Con đã chơi hết thời gian của trò này hôm nay.</translation>
    </message>
  </context>
  <context>
    <name>Notice14to17</name>
    <message>
      <source>{time} of screen time left today</source>
      <translation>Hôm nay còn {time} dùng máy</translation>
    </message>
    <message>
      <source>The daily limit agreed with your parents ends soon. Save your work.</source>
      <translation>Giới hạn trong ngày đã thỏa thuận với bố mẹ sắp hết. Hãy lưu công việc.</translation>
    </message>
    <message>
      <source>{time} of game time left today</source>
      <translation>Hôm nay còn {time} chơi game</translation>
    </message>
    <message>
      <source>{what} will be closed at the limit. Save your progress.</source>
      <translation>{what} sẽ được tắt khi hết giới hạn. Hãy lưu tiến trình.</translation>
    </message>
    <message>
      <source>Break reminder</source>
      <translation>Nhắc nghỉ giải lao</translation>
    </message>
    <message>
      <source>You have been gaming for a while. Consider a short break.</source>
      <translation>Bạn đã chơi game khá lâu. Hãy cân nhắc nghỉ một chút.</translation>
    </message>
    <message>
      <source>{what} is blocked on this PC</source>
      <translation>{what} bị chặn trên máy này</translation>
    </message>
    <message>
      <source>It is on your family's blocked list.</source>
      <translation>Ứng dụng này nằm trong danh sách chặn của gia đình.</translation>
    </message>
    <message>
      <source>{what} was closed</source>
      <translation>{what} đã được tắt</translation>
    </message>
    <message>
      <source>The daily game limit has been reached.</source>
      <translation>Đã đạt giới hạn chơi game trong ngày.</translation>
    </message>
    <message>
      <source>Session locks in {time}</source>
      <translation>Phiên sẽ khóa sau {time}</translation>
    </message>
    <message>
      <source>Your screen time limit or downtime starts. Save your work.</source>
      <translation>Đã đến giới hạn dùng máy hoặc giờ nghỉ. Hãy lưu công việc.</translation>
    </message>
    <message>
      <source>Blocked: {what}</source>
      <translation>Đã chặn: {what}</translation>
    </message>
    <message>
      <source>Category: {category}. Blocked by your family's web settings.</source>
      <translation>Nhóm: {category}. Bị chặn theo cài đặt web của gia đình.</translation>
    </message>
    <message>
      <source>Approved: {time} more</source>
      <translation>Đã đồng ý: thêm {time}</translation>
    </message>
    <message>
      <source>Your parents approved your request.</source>
      <translation>Bố mẹ đã đồng ý lời xin của bạn.</translation>
    </message>
    <message>
      <source>Request declined</source>
      <translation>Lời xin bị từ chối</translation>
    </message>
    <message>
      <source>Your parents declined this request.</source>
      <translation>Bố mẹ đã từ chối lời xin này.</translation>
    </message>
    <message>
      <source>Sprout notice</source>
      <translation>Thông báo của Mầm</translation>
    </message>
    <message>
      <source>Information about this PC's settings.</source>
      <translation>Thông tin về cài đặt của máy này.</translation>
    </message>
    <message>
      <source>If this is a mistake, ask your parents to allow it in Sprout.</source>
      <translation>Nếu đây là nhầm lẫn, hãy nhờ bố mẹ cho phép trong Mầm.</translation>
    </message>
    <message>
      <source>Need more time? Send a request with a reason; your parents decide.</source>
      <translation>Cần thêm thời gian? Gửi lời xin kèm lý do; bố mẹ sẽ quyết định.</translation>
    </message>
    <message>
      <source>Session locking now</source>
      <translation>Phiên đang khóa</translation>
    </message>
    <message>
      <source>Your screen time limit or downtime has started.</source>
      <translation>Đã hết giới hạn thời gian dùng máy hoặc đã đến giờ nghỉ.</translation>
    </message>
    <message>
      <source>This game's daily limit has been reached.</source>
      <translation>Đã hết giới hạn hằng ngày của trò chơi này.</translation>
    </message>
  </context>
  <context>
    <name>Notice7to10</name>
    <message>
      <source>Only {time} left</source>
      <translation>Chỉ còn {time}</translation>
    </message>
    <message>
      <source>Your screen time for today is almost over. Save what you are doing.</source>
      <translation>Thời gian dùng máy hôm nay sắp hết. Con lưu lại việc đang làm nhé.</translation>
    </message>
    <message>
      <source>Only {time} of game time left</source>
      <translation>Chỉ còn {time} chơi game</translation>
    </message>
    <message>
      <source>Find a good place to stop {what} and save your game.</source>
      <translation>Con tìm chỗ dừng {what} cho hợp và lưu trò chơi lại nhé.</translation>
    </message>
    <message>
      <source>Time for a short break</source>
      <translation>Nghỉ giải lao một chút nhé</translation>
    </message>
    <message>
      <source>You have played for a while. Rest your eyes and move a little.</source>
      <translation>Con chơi được một lúc rồi. Cho mắt nghỉ và vận động một chút nhé.</translation>
    </message>
    <message>
      <source>{what} is not allowed</source>
      <translation>{what} chưa được phép dùng</translation>
    </message>
    <message>
      <source>Your parents chose not to allow this app on this computer.</source>
      <translation>Bố mẹ đã chọn không cho dùng ứng dụng này trên máy tính này.</translation>
    </message>
    <message>
      <source>{what} was closed</source>
      <translation>{what} đã được tắt</translation>
    </message>
    <message>
      <source>Your game time for today is used up. Well played!</source>
      <translation>Hôm nay con đã dùng hết giờ chơi game. Con chơi giỏi lắm!</translation>
    </message>
    <message>
      <source>The computer will lock in {time}</source>
      <translation>Máy tính sẽ khóa sau {time}</translation>
    </message>
    <message>
      <source>Your screen time is over for now. Save your work.</source>
      <translation>Đã hết giờ dùng máy lúc này. Con lưu bài lại nhé.</translation>
    </message>
    <message>
      <source>This website is blocked</source>
      <translation>Trang web này đang bị chặn</translation>
    </message>
    <message>
      <source>{what} is in the group “{category}”, which is not allowed.</source>
      <translation>{what} thuộc nhóm “{category}”, nhóm này chưa được phép.</translation>
    </message>
    <message>
      <source>Your parents gave you {time} more</source>
      <translation>Bố mẹ cho con thêm {time}</translation>
    </message>
    <message>
      <source>Have fun, and remember to take breaks.</source>
      <translation>Chúc con vui, và nhớ nghỉ giải lao nhé.</translation>
    </message>
    <message>
      <source>Your parents said no this time</source>
      <translation>Lần này bố mẹ chưa đồng ý</translation>
    </message>
    <message>
      <source>You can talk with them about it later.</source>
      <translation>Con có thể nói chuyện với bố mẹ sau nhé.</translation>
    </message>
    <message>
      <source>A message from Sprout</source>
      <translation>Mầm có lời nhắn</translation>
    </message>
    <message>
      <source>Here is something to know.</source>
      <translation>Đây là điều con nên biết.</translation>
    </message>
    <message>
      <source>If you need it for school, ask your parents.</source>
      <translation>Nếu con cần cho việc học, hãy hỏi bố mẹ nhé.</translation>
    </message>
    <message>
      <source>Need more time? Press “Ask for more time”.</source>
      <translation>Cần thêm thời gian? Bấm “Xin thêm thời gian”.</translation>
    </message>
    <message>
      <source>The computer locks now</source>
      <translation>Máy tính khóa ngay bây giờ</translation>
    </message>
    <message>
      <source>Your screen time is over for now.</source>
      <translation>Giờ dùng máy của con đã hết rồi.</translation>
    </message>
    <message>
      <source>This game's time for today is used up. Well played!</source>
      <translation>Thời gian chơi trò này hôm nay đã hết. Con chơi giỏi lắm!</translation>
    </message>
  </context>
  <context>
    <name>Privacy</name>
    <message>
      <source>How long the computer and games were used</source>
      <translation>Thời gian dùng máy và chơi game</translation>
    </message>
    <message>
      <source>Which apps and games were used, and for how long</source>
      <translation>Ứng dụng và trò chơi đã dùng, trong bao lâu</translation>
    </message>
    <message>
      <source>Window titles</source>
      <translation>Tiêu đề cửa sổ</translation>
    </message>
    <message>
      <source>Full web addresses</source>
      <translation>Địa chỉ web đầy đủ</translation>
    </message>
    <message>
      <source>Blocked websites and their category</source>
      <translation>Trang web bị chặn và nhóm của chúng</translation>
    </message>
    <message>
      <source>Your requests for more time</source>
      <translation>Các lời xin thêm thời gian</translation>
    </message>
    <message>
      <source>Attempts to change the clock or stop Sprout</source>
      <translation>Việc đổi giờ máy hoặc tắt Mầm</translation>
    </message>
    <message>
      <source>screenshots</source>
      <translation>ảnh chụp màn hình</translation>
    </message>
    <message>
      <source>what you type</source>
      <translation>những gì con gõ</translation>
    </message>
    <message>
      <source>your messages</source>
      <translation>tin nhắn của con</translation>
    </message>
    <message>
      <source>passwords</source>
      <translation>mật khẩu</translation>
    </message>
    <message>
      <source>the camera</source>
      <translation>camera</translation>
    </message>
    <message>
      <source>the microphone</source>
      <translation>micro</translation>
    </message>
    <message>
      <source>the parents' consoles paired with this PC, encrypted end to end; no company server</source>
      <translation>máy của bố mẹ đã ghép nối với máy tính này, mã hóa đầu cuối; không qua máy chủ của công ty nào</translation>
    </message>
    <message>
      <source>sent</source>
      <translation>có gửi</translation>
    </message>
    <message>
      <source>not sent</source>
      <translation>không gửi</translation>
    </message>
    <message>
      <source>What is sent to your parents:</source>
      <translation>Những gì được gửi cho bố mẹ:</translation>
    </message>
    <message>
      <source>Never collected: {items}.</source>
      <translation>Không bao giờ thu thập: {items}.</translation>
    </message>
    <message>
      <source>Kept for {days} days.</source>
      <translation>Được lưu trong {days} ngày.</translation>
    </message>
    <message>
      <source>Who receives it:</source>
      <translation>Ai nhận:</translation>
    </message>
    <message>
      <source>What my parents can see</source>
      <translation>Bố mẹ có thể thấy gì</translation>
    </message>
    <message>
      <source>&amp;What my parents can see</source>
      <translation>&amp;Bố mẹ có thể thấy gì</translation>
    </message>
    <message>
      <source>Screen time: {time}</source>
      <translation>Thời gian dùng máy: {time}</translation>
    </message>
    <message>
      <source>Games: {time}</source>
      <translation>Chơi game: {time}</translation>
    </message>
    <message>
      <source>Each game: {items}</source>
      <translation>Từng trò chơi: {items}</translation>
    </message>
    <message>
      <source>Each app: {items}</source>
      <translation>Từng ứng dụng: {items}</translation>
    </message>
    <message>
      <source>Blocked websites: {items}</source>
      <translation>Trang web bị chặn: {items}</translation>
    </message>
    <message>
      <source>Extra time from your parents: {time}</source>
      <translation>Thời gian bố mẹ cho thêm: {time}</translation>
    </message>
    <message>
      <source>Requests for more time: {n}</source>
      <translation>Số lần xin thêm giờ: {n}</translation>
    </message>
    <message>
      <source>&amp;Today so far, as it is sent:</source>
      <translation>&amp;Hôm nay đến giờ, đúng như được gửi đi:</translation>
    </message>
    <message>
      <source>Today so far, as it is sent</source>
      <translation>Hôm nay đến giờ, đúng như được gửi đi</translation>
    </message>
  </context>
<context>
    <name>Pairing</name>
    <message>
        <source>Connect to your parents</source>
        <translation>Kết nối với bố mẹ</translation>
    </message>
    <message>
        <source>Connect this PC to your parents</source>
        <translation>Kết nối máy này với bố mẹ</translation>
    </message>
    <message>
        <source>Ask your parent to open Sprout on their computer and type this code, or scan the square:</source>
        <translation>Nhờ bố mẹ mở Mầm trên máy của bố mẹ rồi nhập mã này, hoặc quét ô vuông:</translation>
    </message>
    <message>
        <source>Pairing code {code}</source>
        <translation>Mã ghép nối {code}</translation>
    </message>
    <message>
        <source>The code works once, for {minutes} more minutes. A new one appears by itself.</source>
        <translation>Mã chỉ dùng một lần, còn hiệu lực {minutes} phút. Mã mới sẽ tự hiện ra.</translation>
    </message>
    <message>
        <source>QR code of the pairing code</source>
        <translation>Mã QR của mã ghép nối</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>Đó&amp;ng</translation>
    </message>
</context>
  <context>
    <name>Consent</name>
    <message>
      <source>What Mum and Dad will see</source>
      <translation>Bố mẹ sẽ thấy gì</translation>
    </message>
    <message>
      <source>Your parents would like to see this. Is that OK?</source>
      <translation>Bố mẹ muốn xem những điều này. Con có đồng ý không?</translation>
    </message>
    <message>
      <source>Before anything is shared, we ask you</source>
      <translation>Trước khi chia sẻ điều gì, Mầm hỏi ý kiến bạn</translation>
    </message>
    <message>
      <source>Your consent: what your parents would see</source>
      <translation>Sự đồng ý của bạn: bố mẹ sẽ thấy gì</translation>
    </message>
    <message>
      <source>Your parents decide. Here is what they will see.</source>
      <translation>Bố mẹ quyết định. Đây là những gì bố mẹ sẽ thấy.</translation>
    </message>
    <message>
      <source>Nothing on this list is sent until you and your parents both say yes. You can always talk about it first.</source>
      <translation>Chưa điều gì trong danh sách này được gửi cho đến khi con và bố mẹ đều đồng ý. Con luôn có thể nói chuyện với bố mẹ trước.</translation>
    </message>
    <message>
      <source>The law says information about you is shared only when you and your parents both agree. Until then, only what keeps you safe is sent.</source>
      <translation>Theo luật, thông tin về bạn chỉ được chia sẻ khi cả bạn và bố mẹ đồng ý. Trước đó, chỉ những gì giữ bạn an toàn được gửi.</translation>
    </message>
    <message>
      <source>Under Vietnamese law your consent is needed. Until you and your parents both agree, only the safety minimum below is sent. Less detail is never asked again.</source>
      <translation>Theo pháp luật Việt Nam, cần sự đồng ý của bạn. Cho đến khi bạn và bố mẹ cùng đồng ý, chỉ phần tối thiểu vì an toàn dưới đây được gửi. Bớt chi tiết thì không cần hỏi lại.</translation>
    </message>
    <message>
      <source>Nobody has agreed yet, so only the safety minimum is sent.</source>
      <translation>Chưa ai đồng ý, nên chỉ phần tối thiểu vì an toàn được gửi.</translation>
    </message>
    <message>
      <source>You agreed. Waiting for your parents.</source>
      <translation>Bạn đã đồng ý. Đang chờ bố mẹ.</translation>
    </message>
    <message>
      <source>Your parents agreed. Now it is your turn.</source>
      <translation>Bố mẹ đã đồng ý. Giờ đến lượt bạn.</translation>
    </message>
    <message>
      <source>You and your parents both agreed.</source>
      <translation>Bạn và bố mẹ đều đã đồng ý.</translation>
    </message>
    <message>
      <source>You</source>
      <translation>Bạn</translation>
    </message>
    <message>
      <source>Your parents</source>
      <translation>Bố mẹ</translation>
    </message>
    <message>
      <source>agreed to</source>
      <translation>đồng ý với</translation>
    </message>
    <message>
      <source>want to talk about</source>
      <translation>muốn nói chuyện thêm về</translation>
    </message>
    <message>
      <source>asked to see less:</source>
      <translation>xin xem ít hơn:</translation>
    </message>
    <message>
      <source>What my parents would see</source>
      <translation>Bố mẹ sẽ thấy gì</translation>
    </message>
    <message>
      <source>Your parents would see:</source>
      <translation>Bố mẹ sẽ thấy:</translation>
    </message>
    <message>
      <source>Your parents would see nothing more than the minimum.</source>
      <translation>Bố mẹ sẽ không thấy gì ngoài phần tối thiểu.</translation>
    </message>
    <message>
      <source>Always sent, to keep you safe: {items}.</source>
      <translation>Luôn được gửi để giữ an toàn cho bạn: {items}.</translation>
    </message>
    <message>
      <source>Never collected: {items}.</source>
      <translation>Không bao giờ thu thập: {items}.</translation>
    </message>
    <message>
      <source>I want to &amp;talk about it</source>
      <translation>Mình muốn &amp;nói chuyện thêm</translation>
    </message>
    <message>
      <source>&amp;I agree</source>
      <translation>&amp;Đồng ý</translation>
    </message>
    <message>
      <source>&amp;OK, I've seen it</source>
      <translation>&amp;Vâng, con đã xem</translation>
    </message>
    <message>
      <source>Nobody has answered yet.</source>
      <translation>Chưa ai trả lời.</translation>
    </message>
    <message>
      <source>Consent:</source>
      <translation>Sự đồng ý:</translation>
    </message>
    <message>
      <source>Who agreed, and when:</source>
      <translation>Ai đã đồng ý, và khi nào:</translation>
    </message>
  </context>
  <context>
    <name>Language</name>
    <message>
      <source>en</source>
      <translation>vi</translation>
    </message>
  </context>
  <context>
    <name>Skills</name>
    <message>
      <source>The Internet and social networks</source>
      <translation>Internet và mạng xã hội</translation>
    </message>
    <message>
      <source>Keeping accounts safe</source>
      <translation>Giữ tài khoản an toàn</translation>
    </message>
    <message>
      <source>Protecting your information</source>
      <translation>Bảo vệ thông tin của bạn</translation>
    </message>
    <message>
      <source>Noticing when someone means harm</source>
      <translation>Nhận ra khi ai đó có ý xấu</translation>
    </message>
    <message>
      <source>Where to get help (111)</source>
      <translation>Tìm trợ giúp ở đâu (111)</translation>
    </message>
    <message>
      <source>Lessons for ages {band}</source>
      <translation>Bài học cho tuổi {band}</translation>
    </message>
    <message>
      <source>Well done! You answered all {total} questions. Lesson finished.</source>
      <translation>Giỏi lắm! Bạn đã trả lời đúng cả {total} câu. Đã học xong bài.</translation>
    </message>
    <message>
      <source>{right} of {total} right. Read why below, and try again whenever you like.</source>
      <translation>Đúng {right} trên {total} câu. Đọc lý do bên dưới, và thử lại lúc nào cũng được.</translation>
    </message>
    <message>
      <source>Questions</source>
      <translation>Câu hỏi</translation>
    </message>
    <message>
      <source>Choose an answer for each question first.</source>
      <translation>Hãy chọn một câu trả lời cho mỗi câu hỏi trước nhé.</translation>
    </message>
    <message>
      <source>Digital skills</source>
      <translation>Kỹ năng số</translation>
    </message>
    <message>
      <source>&amp;Check my answers</source>
      <translation>&amp;Kiểm tra câu trả lời</translation>
    </message>
    <message>
      <source>&amp;Digital skills</source>
      <translation>&amp;Kỹ năng số</translation>
    </message>
    <message>
      <source>Right!</source>
      <translation>Đúng rồi!</translation>
    </message>
    <message>
      <source>Not quite.</source>
      <translation>Chưa đúng lắm.</translation>
    </message>
    <message>
      <source>I finished the lesson “{title}”</source>
      <translation>Con đã học xong bài “{title}”</translation>
    </message>
    <message>
      <source>Sent to your parents. They decide, and you will see their answer.</source>
      <translation>Đã gửi cho bố mẹ. Bố mẹ sẽ quyết định, và con sẽ thấy câu trả lời.</translation>
    </message>
    <message>
      <source>Ask for {minutes} &amp;extra minutes</source>
      <translation>Xin thêm {minutes} &amp;phút</translation>
    </message>
  </context>
</TS>
