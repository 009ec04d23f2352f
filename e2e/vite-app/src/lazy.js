import './lazy.css';
import { mark } from './shared.js';
import lazyUrl from './images/lazy.png';

export function show() {
  const img = new Image();
  img.id = 'lazy';
  img.alt = 'made by a script';
  img.onload = () => mark('lazy');
  img.onerror = () => mark('lazyError');
  img.src = lazyUrl;
  document.getElementById('app').append(img);
}
