<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
  <context>
    <name>Category</name>
    <message>
      <source>adult content</source>
      <translation>adult content</translation>
    </message>
    <message>
      <source>gambling</source>
      <translation>gambling</translation>
    </message>
    <message>
      <source>games</source>
      <translation>games</translation>
    </message>
    <message>
      <source>social networks</source>
      <translation>social networks</translation>
    </message>
    <message>
      <source>video</source>
      <translation>video</translation>
    </message>
    <message>
      <source>violence</source>
      <translation>violence</translation>
    </message>
    <message>
      <source>drugs</source>
      <translation>drugs</translation>
    </message>
    <message>
      <source>dating</source>
      <translation>dating</translation>
    </message>
    <message>
      <source>self-harm</source>
      <translation>self-harm</translation>
    </message>
    <message>
      <source>dangerous software</source>
      <translation>dangerous software</translation>
    </message>
    <message>
      <source>ways around the filter</source>
      <translation>ways around the filter</translation>
    </message>
    <message>
      <source>chatting with strangers</source>
      <translation>chatting with strangers</translation>
    </message>
    <message>
      <source>not allowed by your parents</source>
      <translation>not allowed by your parents</translation>
    </message>
  </context>
  <context>
    <name>Companion</name>
    <message>
      <source>Sprout is not answering right now. Try again in a moment.</source>
      <translation>Sprout is not answering right now. Try again in a moment.</translation>
    </message>
    <message>
      <source>Ask for more time</source>
      <translation>Ask for more time</translation>
    </message>
    <message>
      <source>Tell your parents how much time you need and why.</source>
      <translation>Tell your parents how much time you need and why.</translation>
    </message>
    <message>
      <source>Your request goes to your parents. They decide, and you will see their answer here.</source>
      <translation>Your request goes to your parents. They decide, and you will see their answer here.</translation>
    </message>
    <message>
      <source>&amp;Minutes:</source>
      <translation>&amp;Minutes:</translation>
    </message>
    <message>
      <source>min</source>
      <translation>min</translation>
    </message>
    <message>
      <source>How many minutes</source>
      <translation>How many minutes</translation>
    </message>
    <message>
      <source>&amp;For:</source>
      <translation>&amp;For:</translation>
    </message>
    <message>
      <source>Screen time</source>
      <translation>Screen time</translation>
    </message>
    <message>
      <source>Games</source>
      <translation>Games</translation>
    </message>
    <message>
      <source>&amp;Why:</source>
      <translation>&amp;Why:</translation>
    </message>
    <message>
      <source>For example: I am finishing my homework</source>
      <translation>For example: I am finishing my homework</translation>
    </message>
    <message>
      <source>Why you need more time</source>
      <translation>Why you need more time</translation>
    </message>
    <message>
      <source>&amp;Send to my parents</source>
      <translation>&amp;Send to my parents</translation>
    </message>
    <message>
      <source>&amp;Close</source>
      <translation>&amp;Close</translation>
    </message>
    <message>
      <source>Sent! Your parents will see your request. You will get a message here when they answer.</source>
      <translation>Sent! Your parents will see your request. You will get a message here when they answer.</translation>
    </message>
    <message>
      <source>This could not be sent. Try again in a moment.</source>
      <translation>This could not be sent. Try again in a moment.</translation>
    </message>
    <message>
      <source>Sprout</source>
      <translation>Sprout</translation>
    </message>
    <message>
      <source>&amp;Ask for more time</source>
      <translation>&amp;Ask for more time</translation>
    </message>
    <message>
      <source>&amp;Report something harmful</source>
      <translation>&amp;Report something harmful</translation>
    </message>
    <message>
      <source>&amp;OK</source>
      <translation>&amp;OK</translation>
    </message>
    <message>
      <source>Report something harmful</source>
      <translation>Report something harmful</translation>
    </message>
    <message>
      <source>Did you see something that scared or hurt you, or someone who made you feel unsafe? Tell your parents here. It is not your fault.</source>
      <translation>Did you see something that scared or hurt you, or someone who made you feel unsafe? Tell your parents here. It is not your fault.</translation>
    </message>
    <message>
      <source>&amp;What happened:</source>
      <translation>&amp;What happened:</translation>
    </message>
    <message>
      <source>What happened</source>
      <translation>What happened</translation>
    </message>
    <message>
      <source>&amp;More (optional):</source>
      <translation>&amp;More (optional):</translation>
    </message>
    <message>
      <source>More details, optional</source>
      <translation>More details, optional</translation>
    </message>
    <message>
      <source>Write a few words about what happened.</source>
      <translation>Write a few words about what happened.</translation>
    </message>
    <message>
      <source>Screen time is over for now. Next time starts at {time}.</source>
      <translation>Screen time is over for now. Next time starts at {time}.</translation>
    </message>
    <message>
      <source>Screen time is over for today.</source>
      <translation>Screen time is over for today.</translation>
    </message>
    <message>
      <source>Allowed again: tomorrow</source>
      <translation>Allowed again: tomorrow</translation>
    </message>
    <message>
      <source>Allowed again: at {time}</source>
      <translation>Allowed again: at {time}</translation>
    </message>
    <message>
      <source>This</source>
      <translation>This</translation>
    </message>
    <message>
      <source>Worried or unsafe? Call 111 — free, any time, day or night.</source>
      <translation>Worried or unsafe? Call 111 — free, any time, day or night.</translation>
    </message>
    <message>
      <source>Screen time: no limit today</source>
      <translation>Screen time: no limit today</translation>
    </message>
    <message>
      <source>Screen time left: {time}</source>
      <translation>Screen time left: {time}</translation>
    </message>
    <message>
      <source>Game time: no limit today</source>
      <translation>Game time: no limit today</translation>
    </message>
    <message>
      <source>Game time left: {time}</source>
      <translation>Game time left: {time}</translation>
    </message>
    <message>
      <source>Hello!</source>
      <translation>Hello!</translation>
    </message>
    <message>
      <source>Hi, {name}</source>
      <translation>Hi, {name}</translation>
    </message>
    <message>
      <source>Hello, {name}!</source>
      <translation>Hello, {name}!</translation>
    </message>
    <message>
      <source>Thank you for telling us. It has been sent to your parents; they will read it in their Sprout console.</source>
      <translation>Thank you for telling us. It has been sent to your parents; they will read it in their Sprout console.</translation>
    </message>
    <message>
      <source>This time is for today.</source>
      <translation>This time is for today.</translation>
    </message>
    <message>
      <source>This time is for today (you asked on {date}).</source>
      <translation>This time is for today (you asked on {date}).</translation>
    </message>
    <message>
      <source>Screen time is over</source>
      <translation>Screen time is over</translation>
    </message>
    <message>
      <source>This PC could not lock itself, so Sprout covers the screen until your time starts again. Your parents have been told.</source>
      <translation>This PC could not lock itself, so Sprout covers the screen until your time starts again. Your parents have been told.</translation>
    </message>
    <message>
      <source>Parent's &amp;PIN:</source>
      <translation>Parent's &amp;PIN:</translation>
    </message>
    <message>
      <source>Parent's PIN</source>
      <translation>Parent's PIN</translation>
    </message>
    <message>
      <source>&amp;Unlock</source>
      <translation>&amp;Unlock</translation>
    </message>
    <message>
      <source>Too many tries. Wait a little, then try again.</source>
      <translation>Too many tries. Wait a little, then try again.</translation>
    </message>
    <message>
      <source>That PIN is not right.</source>
      <translation>That PIN is not right.</translation>
    </message>
    <message>
      <source>Sprout is not answering just now. If it stays off, your parents will be told.</source>
      <translation>Sprout is not answering just now. If it stays off, your parents will be told.</translation>
    </message>
    <message>
      <source>Five requests are already waiting for your parents. Wait for their answer first.</source>
      <translation>Five requests are already waiting for your parents. Wait for their answer first.</translation>
    </message>
    <message>
      <source>Ask for 5 to 240 minutes.</source>
      <translation>Ask for 5 to 240 minutes.</translation>
    </message>
      <message>
      <source>Your parents paused the computer until {time}</source>
      <translation>Your parents paused the computer until {time}</translation>
    </message>
    <message>
      <source>Your parents paused the computer</source>
      <translation>Your parents paused the computer</translation>
    </message>
    <message>
      <source>Time for a break. Nothing is counted while it rests, and it opens again by itself at {time}.</source>
      <translation>Time for a break. Nothing is counted while it rests, and it opens again by itself at {time}.</translation>
    </message>
    <message>
      <source>Time for a break. Nothing is counted while it rests; your parents will open it again.</source>
      <translation>Time for a break. Nothing is counted while it rests; your parents will open it again.</translation>
    </message>
    <message>
      <source>The computer is open again</source>
      <translation>The computer is open again</translation>
    </message>
    <message>
      <source>The break is over. Your usual rules apply again.</source>
      <translation>The break is over. Your usual rules apply again.</translation>
    </message>
    <message>
      <source>The internet is resting until {time}</source>
      <translation>The internet is resting until {time}</translation>
    </message>
    <message>
      <source>The internet is resting for a while</source>
      <translation>The internet is resting for a while</translation>
    </message>
    <message>
      <source>Your parents paused the internet for a while. Websites open again when the pause ends; help lines such as 111 still work.</source>
      <translation>Your parents paused the internet for a while. Websites open again when the pause ends; help lines such as 111 still work.</translation>
    </message>
    <message>
      <source>The internet is back</source>
      <translation>The internet is back</translation>
    </message>
    <message>
      <source>Your parents turned the internet back on.</source>
      <translation>Your parents turned the internet back on.</translation>
    </message>
    <message>
      <source>Your parents paused the computer until {time}.</source>
      <translation>Your parents paused the computer until {time}.</translation>
    </message>
    <message>
      <source>Your parents paused the computer until they open it again.</source>
      <translation>Your parents paused the computer until they open it again.</translation>
    </message>
    <message>
      <source>Your parents paused this computer for a while. It could not lock itself, so Sprout covers the screen.</source>
      <translation>Your parents paused this computer for a while. It could not lock itself, so Sprout covers the screen.</translation>
    </message>
    <message>
      <source>Time for a break</source>
      <translation>Time for a break</translation>
    </message>
</context>
  <context>
    <name>Duration</name>
    <message>
      <source>no limit</source>
      <translation>no limit</translation>
    </message>
    <message>
      <source>less than a minute</source>
      <translation>less than a minute</translation>
    </message>
    <message>
      <source>{h} h {m} min</source>
      <translation>{h} h {m} min</translation>
    </message>
    <message>
      <source>{h} h</source>
      <translation>{h} h</translation>
    </message>
    <message>
      <source>{m} min</source>
      <translation>{m} min</translation>
    </message>
  </context>
  <context>
    <name>Notice0to6</name>
    <message>
      <source>Almost time to stop</source>
      <translation>Almost time to stop</translation>
    </message>
    <message>
      <source>{time} left.</source>
      <translation>{time} left.</translation>
    </message>
    <message>
      <source>Game time almost done</source>
      <translation>Game time almost done</translation>
    </message>
    <message>
      <source>Time for a break</source>
      <translation>Time for a break</translation>
    </message>
    <message>
      <source>Stretch and drink some water.</source>
      <translation>Stretch and drink some water.</translation>
    </message>
    <message>
      <source>Not this one</source>
      <translation>Not this one</translation>
    </message>
    <message>
      <source>{what} is not for now.</source>
      <translation>{what} is not for now.</translation>
    </message>
    <message>
      <source>Game time is done</source>
      <translation>Game time is done</translation>
    </message>
    <message>
      <source>{what} is closed. Play again tomorrow!</source>
      <translation>{what} is closed. Play again tomorrow!</translation>
    </message>
    <message>
      <source>Screen time is done</source>
      <translation>Screen time is done</translation>
    </message>
    <message>
      <source>The computer rests in {time}.</source>
      <translation>The computer rests in {time}.</translation>
    </message>
    <message>
      <source>Not this page</source>
      <translation>Not this page</translation>
    </message>
    <message>
      <source>This page is not for children.</source>
      <translation>This page is not for children.</translation>
    </message>
    <message>
      <source>Yes! More time</source>
      <translation>Yes! More time</translation>
    </message>
    <message>
      <source>{time} more.</source>
      <translation>{time} more.</translation>
    </message>
    <message>
      <source>Not today</source>
      <translation>Not today</translation>
    </message>
    <message>
      <source>Let's do something else.</source>
      <translation>Let's do something else.</translation>
    </message>
    <message>
      <source>Hello</source>
      <translation>Hello</translation>
    </message>
    <message>
      <source>A message from Sprout.</source>
      <translation>A message from Sprout.</translation>
    </message>
    <message>
      <source>Ask Mum or Dad.</source>
      <translation>Ask Mum or Dad.</translation>
    </message>
    <message>
      <source>Want more? Ask Mum or Dad.</source>
      <translation>Want more? Ask Mum or Dad.</translation>
    </message>
    <message>
      <source>The computer rests now.</source>
      <translation>The computer rests now.</translation>
    </message>
    <message>
      <source>{what} is done for today. Play again tomorrow!</source>
      <translation>{what} is done for today. Play again tomorrow!</translation>
    </message>
  </context>
  <context>
    <name>Notice11to13</name>
    <message>
      <source>{time} of screen time left</source>
      <translation>{time} of screen time left</translation>
    </message>
    <message>
      <source>Today's screen time ends soon. Save your work now.</source>
      <translation>Today's screen time ends soon. Save your work now.</translation>
    </message>
    <message>
      <source>{time} of game time left</source>
      <translation>{time} of game time left</translation>
    </message>
    <message>
      <source>{what} will close when game time runs out. Save your progress.</source>
      <translation>{what} will close when game time runs out. Save your progress.</translation>
    </message>
    <message>
      <source>Break reminder</source>
      <translation>Break reminder</translation>
    </message>
    <message>
      <source>You have been playing for a while. A short break helps your eyes.</source>
      <translation>You have been playing for a while. A short break helps your eyes.</translation>
    </message>
    <message>
      <source>{what} is blocked</source>
      <translation>{what} is blocked</translation>
    </message>
    <message>
      <source>This app is on the list your parents blocked.</source>
      <translation>This app is on the list your parents blocked.</translation>
    </message>
    <message>
      <source>{what} was closed</source>
      <translation>{what} was closed</translation>
    </message>
    <message>
      <source>You reached today's game time limit.</source>
      <translation>You reached today's game time limit.</translation>
    </message>
    <message>
      <source>This session locks in {time}</source>
      <translation>This session locks in {time}</translation>
    </message>
    <message>
      <source>Screen time is over for now. Save anything you are working on.</source>
      <translation>Screen time is over for now. Save anything you are working on.</translation>
    </message>
    <message>
      <source>Website blocked: {what}</source>
      <translation>Website blocked: {what}</translation>
    </message>
    <message>
      <source>It is in the category “{category}”, which your parents blocked.</source>
      <translation>It is in the category “{category}”, which your parents blocked.</translation>
    </message>
    <message>
      <source>Request approved: {time} more</source>
      <translation>Request approved: {time} more</translation>
    </message>
    <message>
      <source>Your parents said yes.</source>
      <translation>Your parents said yes.</translation>
    </message>
    <message>
      <source>Request not approved</source>
      <translation>Request not approved</translation>
    </message>
    <message>
      <source>Your parents said no this time.</source>
      <translation>Your parents said no this time.</translation>
    </message>
    <message>
      <source>Message from Sprout</source>
      <translation>Message from Sprout</translation>
    </message>
    <message>
      <source>Something changed on this computer.</source>
      <translation>Something changed on this computer.</translation>
    </message>
    <message>
      <source>Need it for school? Ask your parents to allow it.</source>
      <translation>Need it for school? Ask your parents to allow it.</translation>
    </message>
    <message>
      <source>Need more time? Use “Ask for more time” to send a request.</source>
      <translation>Need more time? Use “Ask for more time” to send a request.</translation>
    </message>
    <message>
      <source>This session locks now</source>
      <translation>This session locks now</translation>
    </message>
    <message>
      <source>Screen time is over for now.</source>
      <translation>Screen time is over for now.</translation>
    </message>
    <message>
      <source>You reached this game's time limit for today.</source>
      <translation>You reached this game's time limit for today.</translation>
    </message>
  </context>
  <context>
    <name>Notice14to17</name>
    <message>
      <source>{time} of screen time left today</source>
      <translation>{time} of screen time left today</translation>
    </message>
    <message>
      <source>The daily limit agreed with your parents ends soon. Save your work.</source>
      <translation>The daily limit agreed with your parents ends soon. Save your work.</translation>
    </message>
    <message>
      <source>{time} of game time left today</source>
      <translation>{time} of game time left today</translation>
    </message>
    <message>
      <source>{what} will be closed at the limit. Save your progress.</source>
      <translation>{what} will be closed at the limit. Save your progress.</translation>
    </message>
    <message>
      <source>Break reminder</source>
      <translation>Break reminder</translation>
    </message>
    <message>
      <source>You have been gaming for a while. Consider a short break.</source>
      <translation>You have been gaming for a while. Consider a short break.</translation>
    </message>
    <message>
      <source>{what} is blocked on this PC</source>
      <translation>{what} is blocked on this PC</translation>
    </message>
    <message>
      <source>It is on your family's blocked list.</source>
      <translation>It is on your family's blocked list.</translation>
    </message>
    <message>
      <source>{what} was closed</source>
      <translation>{what} was closed</translation>
    </message>
    <message>
      <source>The daily game limit has been reached.</source>
      <translation>The daily game limit has been reached.</translation>
    </message>
    <message>
      <source>Session locks in {time}</source>
      <translation>Session locks in {time}</translation>
    </message>
    <message>
      <source>Your screen time limit or downtime starts. Save your work.</source>
      <translation>Your screen time limit or downtime starts. Save your work.</translation>
    </message>
    <message>
      <source>Blocked: {what}</source>
      <translation>Blocked: {what}</translation>
    </message>
    <message>
      <source>Category: {category}. Blocked by your family's web settings.</source>
      <translation>Category: {category}. Blocked by your family's web settings.</translation>
    </message>
    <message>
      <source>Approved: {time} more</source>
      <translation>Approved: {time} more</translation>
    </message>
    <message>
      <source>Your parents approved your request.</source>
      <translation>Your parents approved your request.</translation>
    </message>
    <message>
      <source>Request declined</source>
      <translation>Request declined</translation>
    </message>
    <message>
      <source>Your parents declined this request.</source>
      <translation>Your parents declined this request.</translation>
    </message>
    <message>
      <source>Sprout notice</source>
      <translation>Sprout notice</translation>
    </message>
    <message>
      <source>Information about this PC's settings.</source>
      <translation>Information about this PC's settings.</translation>
    </message>
    <message>
      <source>If this is a mistake, ask your parents to allow it in Sprout.</source>
      <translation>If this is a mistake, ask your parents to allow it in Sprout.</translation>
    </message>
    <message>
      <source>Need more time? Send a request with a reason; your parents decide.</source>
      <translation>Need more time? Send a request with a reason; your parents decide.</translation>
    </message>
    <message>
      <source>Session locking now</source>
      <translation>Session locking now</translation>
    </message>
    <message>
      <source>Your screen time limit or downtime has started.</source>
      <translation>Your screen time limit or downtime has started.</translation>
    </message>
    <message>
      <source>This game's daily limit has been reached.</source>
      <translation>This game's daily limit has been reached.</translation>
    </message>
  </context>
  <context>
    <name>Notice7to10</name>
    <message>
      <source>Only {time} left</source>
      <translation>Only {time} left</translation>
    </message>
    <message>
      <source>Your screen time for today is almost over. Save what you are doing.</source>
      <translation>Your screen time for today is almost over. Save what you are doing.</translation>
    </message>
    <message>
      <source>Only {time} of game time left</source>
      <translation>Only {time} of game time left</translation>
    </message>
    <message>
      <source>Find a good place to stop {what} and save your game.</source>
      <translation>Find a good place to stop {what} and save your game.</translation>
    </message>
    <message>
      <source>Time for a short break</source>
      <translation>Time for a short break</translation>
    </message>
    <message>
      <source>You have played for a while. Rest your eyes and move a little.</source>
      <translation>You have played for a while. Rest your eyes and move a little.</translation>
    </message>
    <message>
      <source>{what} is not allowed</source>
      <translation>{what} is not allowed</translation>
    </message>
    <message>
      <source>Your parents chose not to allow this app on this computer.</source>
      <translation>Your parents chose not to allow this app on this computer.</translation>
    </message>
    <message>
      <source>{what} was closed</source>
      <translation>{what} was closed</translation>
    </message>
    <message>
      <source>Your game time for today is used up. Well played!</source>
      <translation>Your game time for today is used up. Well played!</translation>
    </message>
    <message>
      <source>The computer will lock in {time}</source>
      <translation>The computer will lock in {time}</translation>
    </message>
    <message>
      <source>Your screen time is over for now. Save your work.</source>
      <translation>Your screen time is over for now. Save your work.</translation>
    </message>
    <message>
      <source>This website is blocked</source>
      <translation>This website is blocked</translation>
    </message>
    <message>
      <source>{what} is in the group “{category}”, which is not allowed.</source>
      <translation>{what} is in the group “{category}”, which is not allowed.</translation>
    </message>
    <message>
      <source>Your parents gave you {time} more</source>
      <translation>Your parents gave you {time} more</translation>
    </message>
    <message>
      <source>Have fun, and remember to take breaks.</source>
      <translation>Have fun, and remember to take breaks.</translation>
    </message>
    <message>
      <source>Your parents said no this time</source>
      <translation>Your parents said no this time</translation>
    </message>
    <message>
      <source>You can talk with them about it later.</source>
      <translation>You can talk with them about it later.</translation>
    </message>
    <message>
      <source>A message from Sprout</source>
      <translation>A message from Sprout</translation>
    </message>
    <message>
      <source>Here is something to know.</source>
      <translation>Here is something to know.</translation>
    </message>
    <message>
      <source>If you need it for school, ask your parents.</source>
      <translation>If you need it for school, ask your parents.</translation>
    </message>
    <message>
      <source>Need more time? Press “Ask for more time”.</source>
      <translation>Need more time? Press “Ask for more time”.</translation>
    </message>
    <message>
      <source>The computer locks now</source>
      <translation>The computer locks now</translation>
    </message>
    <message>
      <source>Your screen time is over for now.</source>
      <translation>Your screen time is over for now.</translation>
    </message>
    <message>
      <source>This game's time for today is used up. Well played!</source>
      <translation>This game's time for today is used up. Well played!</translation>
    </message>
  </context>
  <context>
    <name>Privacy</name>
    <message>
      <source>How long the computer and games were used</source>
      <translation>How long the computer and games were used</translation>
    </message>
    <message>
      <source>Which apps and games were used, and for how long</source>
      <translation>Which apps and games were used, and for how long</translation>
    </message>
    <message>
      <source>Window titles</source>
      <translation>Window titles</translation>
    </message>
    <message>
      <source>Full web addresses</source>
      <translation>Full web addresses</translation>
    </message>
    <message>
      <source>Blocked websites and their category</source>
      <translation>Blocked websites and their category</translation>
    </message>
    <message>
      <source>Your requests for more time</source>
      <translation>Your requests for more time</translation>
    </message>
    <message>
      <source>Attempts to change the clock or stop Sprout</source>
      <translation>Attempts to change the clock or stop Sprout</translation>
    </message>
    <message>
      <source>screenshots</source>
      <translation>screenshots</translation>
    </message>
    <message>
      <source>what you type</source>
      <translation>what you type</translation>
    </message>
    <message>
      <source>your messages</source>
      <translation>your messages</translation>
    </message>
    <message>
      <source>passwords</source>
      <translation>passwords</translation>
    </message>
    <message>
      <source>the camera</source>
      <translation>the camera</translation>
    </message>
    <message>
      <source>the microphone</source>
      <translation>the microphone</translation>
    </message>
    <message>
      <source>the parents' consoles paired with this PC, encrypted end to end; no company server</source>
      <translation>the parents' consoles paired with this PC, encrypted end to end; no company server</translation>
    </message>
    <message>
      <source>sent</source>
      <translation>sent</translation>
    </message>
    <message>
      <source>not sent</source>
      <translation>not sent</translation>
    </message>
    <message>
      <source>What is sent to your parents:</source>
      <translation>What is sent to your parents:</translation>
    </message>
    <message>
      <source>Never collected: {items}.</source>
      <translation>Never collected: {items}.</translation>
    </message>
    <message>
      <source>Kept for {days} days.</source>
      <translation>Kept for {days} days.</translation>
    </message>
    <message>
      <source>Who receives it:</source>
      <translation>Who receives it:</translation>
    </message>
    <message>
      <source>What my parents can see</source>
      <translation>What my parents can see</translation>
    </message>
    <message>
      <source>&amp;What my parents can see</source>
      <translation>&amp;What my parents can see</translation>
    </message>
    <message>
      <source>Screen time: {time}</source>
      <translation>Screen time: {time}</translation>
    </message>
    <message>
      <source>Games: {time}</source>
      <translation>Games: {time}</translation>
    </message>
    <message>
      <source>Each game: {items}</source>
      <translation>Each game: {items}</translation>
    </message>
    <message>
      <source>Each app: {items}</source>
      <translation>Each app: {items}</translation>
    </message>
    <message>
      <source>Blocked websites: {items}</source>
      <translation>Blocked websites: {items}</translation>
    </message>
    <message>
      <source>Extra time from your parents: {time}</source>
      <translation>Extra time from your parents: {time}</translation>
    </message>
    <message>
      <source>Requests for more time: {n}</source>
      <translation>Requests for more time: {n}</translation>
    </message>
    <message>
      <source>&amp;Today so far, as it is sent:</source>
      <translation>&amp;Today so far, as it is sent:</translation>
    </message>
    <message>
      <source>Today so far, as it is sent</source>
      <translation>Today so far, as it is sent</translation>
    </message>
  </context>
<context>
    <name>Pairing</name>
    <message>
        <source>Connect to your parents</source>
        <translation>Connect to your parents</translation>
    </message>
    <message>
        <source>Connect this PC to your parents</source>
        <translation>Connect this PC to your parents</translation>
    </message>
    <message>
        <source>Ask your parent to open Sprout on their computer and type this code, or scan the square:</source>
        <translation>Ask your parent to open Sprout on their computer and type this code, or scan the square:</translation>
    </message>
    <message>
        <source>Pairing code {code}</source>
        <translation>Pairing code {code}</translation>
    </message>
    <message>
        <source>The code works once, for {minutes} more minutes. A new one appears by itself.</source>
        <translation>The code works once, for {minutes} more minutes. A new one appears by itself.</translation>
    </message>
    <message>
        <source>QR code of the pairing code</source>
        <translation>QR code of the pairing code</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>&amp;Close</translation>
    </message>
</context>
  <context>
    <name>Consent</name>
    <message>
      <source>What Mum and Dad will see</source>
      <translation>What Mum and Dad will see</translation>
    </message>
    <message>
      <source>Your parents would like to see this. Is that OK?</source>
      <translation>Your parents would like to see this. Is that OK?</translation>
    </message>
    <message>
      <source>Before anything is shared, we ask you</source>
      <translation>Before anything is shared, we ask you</translation>
    </message>
    <message>
      <source>Your consent: what your parents would see</source>
      <translation>Your consent: what your parents would see</translation>
    </message>
    <message>
      <source>Your parents decide. Here is what they will see.</source>
      <translation>Your parents decide. Here is what they will see.</translation>
    </message>
    <message>
      <source>Nothing on this list is sent until you and your parents both say yes. You can always talk about it first.</source>
      <translation>Nothing on this list is sent until you and your parents both say yes. You can always talk about it first.</translation>
    </message>
    <message>
      <source>The law says information about you is shared only when you and your parents both agree. Until then, only what keeps you safe is sent.</source>
      <translation>The law says information about you is shared only when you and your parents both agree. Until then, only what keeps you safe is sent.</translation>
    </message>
    <message>
      <source>Under Vietnamese law your consent is needed. Until you and your parents both agree, only the safety minimum below is sent. Less detail is never asked again.</source>
      <translation>Under Vietnamese law your consent is needed. Until you and your parents both agree, only the safety minimum below is sent. Less detail is never asked again.</translation>
    </message>
    <message>
      <source>Nobody has agreed yet, so only the safety minimum is sent.</source>
      <translation>Nobody has agreed yet, so only the safety minimum is sent.</translation>
    </message>
    <message>
      <source>You agreed. Waiting for your parents.</source>
      <translation>You agreed. Waiting for your parents.</translation>
    </message>
    <message>
      <source>Your parents agreed. Now it is your turn.</source>
      <translation>Your parents agreed. Now it is your turn.</translation>
    </message>
    <message>
      <source>You and your parents both agreed.</source>
      <translation>You and your parents both agreed.</translation>
    </message>
    <message>
      <source>You</source>
      <translation>You</translation>
    </message>
    <message>
      <source>Your parents</source>
      <translation>Your parents</translation>
    </message>
    <message>
      <source>agreed to</source>
      <translation>agreed to</translation>
    </message>
    <message>
      <source>want to talk about</source>
      <translation>want to talk about</translation>
    </message>
    <message>
      <source>asked to see less:</source>
      <translation>asked to see less:</translation>
    </message>
    <message>
      <source>What my parents would see</source>
      <translation>What my parents would see</translation>
    </message>
    <message>
      <source>Your parents would see:</source>
      <translation>Your parents would see:</translation>
    </message>
    <message>
      <source>Your parents would see nothing more than the minimum.</source>
      <translation>Your parents would see nothing more than the minimum.</translation>
    </message>
    <message>
      <source>Always sent, to keep you safe: {items}.</source>
      <translation>Always sent, to keep you safe: {items}.</translation>
    </message>
    <message>
      <source>Never collected: {items}.</source>
      <translation>Never collected: {items}.</translation>
    </message>
    <message>
      <source>I want to &amp;talk about it</source>
      <translation>I want to &amp;talk about it</translation>
    </message>
    <message>
      <source>&amp;I agree</source>
      <translation>&amp;I agree</translation>
    </message>
    <message>
      <source>&amp;OK, I've seen it</source>
      <translation>&amp;OK, I've seen it</translation>
    </message>
    <message>
      <source>Nobody has answered yet.</source>
      <translation>Nobody has answered yet.</translation>
    </message>
    <message>
      <source>Consent:</source>
      <translation>Consent:</translation>
    </message>
    <message>
      <source>Who agreed, and when:</source>
      <translation>Who agreed, and when:</translation>
    </message>
  </context>
  <context>
    <name>Language</name>
    <message>
      <source>en</source>
      <translation>en</translation>
    </message>
  </context>
  <context>
    <name>Skills</name>
    <message>
      <source>The Internet and social networks</source>
      <translation>The Internet and social networks</translation>
    </message>
    <message>
      <source>Keeping accounts safe</source>
      <translation>Keeping accounts safe</translation>
    </message>
    <message>
      <source>Protecting your information</source>
      <translation>Protecting your information</translation>
    </message>
    <message>
      <source>Noticing when someone means harm</source>
      <translation>Noticing when someone means harm</translation>
    </message>
    <message>
      <source>Where to get help (111)</source>
      <translation>Where to get help (111)</translation>
    </message>
    <message>
      <source>Lessons for ages {band}</source>
      <translation>Lessons for ages {band}</translation>
    </message>
    <message>
      <source>Well done! You answered all {total} questions. Lesson finished.</source>
      <translation>Well done! You answered all {total} questions. Lesson finished.</translation>
    </message>
    <message>
      <source>{right} of {total} right. Read why below, and try again whenever you like.</source>
      <translation>{right} of {total} right. Read why below, and try again whenever you like.</translation>
    </message>
    <message>
      <source>Questions</source>
      <translation>Questions</translation>
    </message>
    <message>
      <source>Choose an answer for each question first.</source>
      <translation>Choose an answer for each question first.</translation>
    </message>
    <message>
      <source>Digital skills</source>
      <translation>Digital skills</translation>
    </message>
    <message>
      <source>&amp;Check my answers</source>
      <translation>&amp;Check my answers</translation>
    </message>
    <message>
      <source>&amp;Digital skills</source>
      <translation>&amp;Digital skills</translation>
    </message>
    <message>
      <source>Right!</source>
      <translation>Right!</translation>
    </message>
    <message>
      <source>Not quite.</source>
      <translation>Not quite.</translation>
    </message>
    <message>
      <source>I finished the lesson “{title}”</source>
      <translation>I finished the lesson “{title}”</translation>
    </message>
    <message>
      <source>Sent to your parents. They decide, and you will see their answer.</source>
      <translation>Sent to your parents. They decide, and you will see their answer.</translation>
    </message>
    <message>
      <source>Ask for {minutes} &amp;extra minutes</source>
      <translation>Ask for {minutes} &amp;extra minutes</translation>
    </message>
  </context>
</TS>
