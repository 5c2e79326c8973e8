// Every word the phone app shows, in Vietnamese and English (the console's wording: app/gui, resources/i18n).
export const TEXT = {
  vi: {
    title: 'Mầm — cha mẹ', lang_other: 'English', tab_home: 'Hôm nay', tab_alerts: 'Cảnh báo', tab_week: 'Tuần này',
    tab_rules: 'Quy tắc', connecting: 'Đang kết nối…', relay_down: 'Chưa kết nối được máy chủ chuyển tiếp; đang thử lại…',
    not_linked: 'Điện thoại này chưa được liên kết',
    link_how: 'Trên bảng điều khiển của máy tính: Cài đặt → Liên kết điện thoại, rồi quét mã QR hiện ra.',
    scan: 'Quét mã QR', scan_stop: 'Dừng quét', camera_no: 'Không mở được máy ảnh: {why}',
    scanned: 'Đã đọc mã liên kết. Đang liên kết…', bad_state: 'Dữ liệu liên kết bị hỏng: {why}',
    asks: '{name} xin thêm {n} phút', reason: 'Lý do: {r}', games: '(chơi game)', decline: 'Từ chối',
    plus: '+{n} phút', granted: 'Đã cho thêm {n} phút', declined: 'Đã từ chối', no_requests: 'Không có yêu cầu nào đang chờ',
    today_used: 'Đã dùng {used} / {limit} phút', today_used_nolimit: 'Đã dùng {used} phút (không giới hạn)',
    limit_reached: 'Đã hết giờ hôm nay', limit_not_reached: 'Chưa đến giới hạn hôm nay',
    no_totals: 'Số phút chỉ hiện khi con đã đồng ý chia sẻ.', online: 'Máy đang trực tuyến',
    offline_since: 'Máy của {name} đã ngoại tuyến từ {time}', offline: 'Máy của {name} đang ngoại tuyến',
    locked_now: 'Máy đang khóa', updated: 'Cập nhật lúc {time}', no_alerts: 'Không có cảnh báo nào',
    blocked_tries: '{name}: {n} lần vào trang bị chặn hôm nay', week_title: 'Thời gian dùng máy 7 ngày qua',
    minutes: '{n} phút', no_week: 'Chưa có báo cáo ngày nào.', rules_for: 'Quy tắc cho {name}',
    daily_minutes: 'Số phút mỗi ngày', bedtime: 'Giờ đi ngủ (hết giờ dùng máy)', save: 'Lưu',
    saved: 'Đã lưu — máy đã áp dụng (phiên bản {v})', bad_minutes: 'Số phút phải là số nguyên từ 0 đến 1440.',
    bad_time: 'Hãy chọn một giờ, ví dụ 21:00.', failed: 'Chưa làm được: {why}', sending: 'Đang gửi…',
    alert: {
      clock_change: 'Đồng hồ của máy bị chỉnh', timezone_change: 'Múi giờ của máy bị đổi',
      gap: 'Máy vắng mặt một lúc (tắt hoặc bị dừng)', lock_disagrees: 'Khóa máy không như quy tắc',
      time_held: 'Giờ của máy chưa được xác nhận', lock_failed: 'Không khóa được máy',
      new_fullscreen_app: 'Một chương trình mới chạy toàn màn hình lâu', policy_withdrawn: 'Quy tắc bị gỡ',
      time_confirmed: 'Giờ của máy đã được xác nhận', harmful_report: 'Con báo một nội dung đáng lo', other: 'Cảnh báo',
    },
    days: ['CN', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7'],
  },
  en: {
    title: 'Sprout — parents', lang_other: 'Tiếng Việt', tab_home: 'Today', tab_alerts: 'Alerts', tab_week: 'This week',
    tab_rules: 'Rules', connecting: 'Connecting…', relay_down: 'Cannot reach the relay yet; trying again…',
    not_linked: 'This phone is not linked yet',
    link_how: "On the computer's console: Settings → Link a phone, then scan the QR code it shows.",
    scan: 'Scan the QR code', scan_stop: 'Stop scanning', camera_no: 'The camera did not open: {why}',
    scanned: 'Link code read. Linking…', bad_state: 'The link data is damaged: {why}',
    asks: '{name} asks for {n} more minutes', reason: 'Reason: {r}', games: '(games)', decline: 'Decline',
    plus: '+{n} min', granted: 'Granted {n} minutes', declined: 'Declined', no_requests: 'No requests waiting',
    today_used: 'Used {used} of {limit} minutes', today_used_nolimit: 'Used {used} minutes (no limit)',
    limit_reached: "Today's time is used up", limit_not_reached: "Today's limit is not reached yet",
    no_totals: 'Minutes show once your child has agreed to share them.', online: 'The PC is online',
    offline_since: "{name}'s PC has been offline since {time}", offline: "{name}'s PC is offline",
    locked_now: 'The PC is locked', updated: 'Updated at {time}', no_alerts: 'No alerts',
    blocked_tries: '{name}: {n} tries of blocked sites today', week_title: 'Screen time, the last 7 days',
    minutes: '{n} min', no_week: 'No daily report yet.', rules_for: 'Rules for {name}',
    daily_minutes: 'Minutes a day', bedtime: 'Bedtime (screen time ends)', save: 'Save',
    saved: 'Saved — the PC applied it (version {v})', bad_minutes: 'Minutes must be a whole number from 0 to 1440.',
    bad_time: 'Pick a time, for example 21:00.', failed: 'Not done: {why}', sending: 'Sending…',
    alert: {
      clock_change: "The PC's clock was changed", timezone_change: "The PC's time zone was changed",
      gap: 'The PC was away for a while (off or stopped)', lock_disagrees: 'The lock did not match the rules',
      time_held: "The PC's time is not confirmed yet", lock_failed: 'The PC could not be locked',
      new_fullscreen_app: 'A new program ran full screen for long', policy_withdrawn: 'The rules were removed',
      time_confirmed: "The PC's time was confirmed", harmful_report: 'Your child reported something worrying', other: 'Alert',
    },
    days: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
  },
};

export function t(lang, key, vars = {}) {
  const raw = key.split('.').reduce((o, k) => o?.[k], TEXT[lang]) ?? key;
  return String(raw).replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ''));
}
