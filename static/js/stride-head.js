/* Stride: runs in <head> before the page paints, so styles for script-enhanced pages apply at once. */
document.documentElement.classList.add("js");
