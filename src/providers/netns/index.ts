// The netns provider's entry point for openProvider().
export { createNetnsProvider } from './provider.js';
