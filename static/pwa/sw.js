// service worker: written in issue 3
