// The bookmarklet's window, once the post is published, has done its job.
window.close();
