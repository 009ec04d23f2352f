// Browser entry of the Vue app: hydrates #root when the test says so.
import { createSSRApp } from 'vue';
import { App } from './vueApp.js';

const w = window as unknown as { hydrate: () => void; __pattern: boolean };
w.hydrate = () => {
  createSSRApp(App, { pattern: w.__pattern }).mount('#root');
};
