// The camera path for linking: frames from getUserMedia into jsQR (pinned) until a Sprout link code is read.
import jsQR from 'jsqr';

export async function startScanner(video, onCode) {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
  video.srcObject = stream;
  video.classList.add('live');
  await video.play();
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  let live = true;
  const stop = () => { live = false; stream.getTracks().forEach((tr) => tr.stop()); video.srcObject = null; video.classList.remove('live'); };
  const tick = () => {
    if (!live) return;
    if (video.videoWidth) {
      canvas.width = video.videoWidth; canvas.height = video.videoHeight;
      ctx.drawImage(video, 0, 0);
      const found = jsQR(ctx.getImageData(0, 0, canvas.width, canvas.height).data, canvas.width, canvas.height);
      if (found?.data && found.data.startsWith('sprout:')) { stop(); onCode(found.data); return; }  // the camera goes off first
    }
    setTimeout(tick, 150);
  };
  tick();
  return stop;
}
