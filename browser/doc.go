// Package browser holds the test of the fake's invite page in a real browser: Debian's
// chromium, driven through the DevTools protocol by chromedp. It is a module of its own so
// that neither the library nor the CLI requires a browser driver; make browser-test installs
// chromium when it is missing and runs it.
package browser
