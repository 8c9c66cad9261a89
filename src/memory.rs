//! What loclint asks of the C allocator, on glibc only (elsewhere these do
//! nothing).
//!
//! glibc gives each thread that allocates an arena of its own and keeps what
//! is freed in it; a page is returned to the system only when it holds no
//! live block and the allocator is asked to trim. On a large tree the
//! walk's threads free most of what they allocate (paths, tree nodes), and
//! without a trim those pages stay resident for the whole run (issue 16:
//! peak RSS flat between a 10,000- and a 100,000-file tree).

/// Returns the pages no live block uses to the system, in every arena.
/// Called once the walk's temporaries are freed and what outlives the
/// walk was made again elsewhere (see `discover::discover`). It walks the
/// free lists once: well under a millisecond on a 100,000-file tree.
pub fn release_free() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` takes no pointer and only rearranges glibc's
    // own free lists under its own locks; it is safe to call from any
    // thread at any time, and its result (whether memory was released) is
    // not needed.
    unsafe {
        libc::malloc_trim(0);
    }
}
