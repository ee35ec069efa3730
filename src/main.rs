use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

// Parsing thousands of files is mostly small allocations; see Cargo.toml.
#[global_allocator]
static ALLOCATOR: MiMalloc = MiMalloc;

/// mimalloc, asked for a plain block whenever the alignment asked for is at most a word's,
/// which every mimalloc block has: its aligned entry points, which a binding must otherwise
/// call for every allocation, check and adjust on a slower path.
struct MiMalloc;

const WORD: usize = std::mem::size_of::<usize>();

// SAFETY: each method forwards to the mimalloc function for the same request; a block from
// `mi_malloc`/`mi_zalloc`/`mi_realloc` is aligned to at least a word, and larger alignments
// go to the aligned functions. Every block is freed by `mi_free`, whichever function made it.
#[allow(unsafe_code)]
unsafe impl std::alloc::GlobalAlloc for MiMalloc {
    #[inline]
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe {
            if layout.align() <= WORD {
                libmimalloc_sys::mi_malloc(layout.size()).cast()
            } else {
                libmimalloc_sys::mi_malloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe {
            if layout.align() <= WORD {
                libmimalloc_sys::mi_zalloc(layout.size()).cast()
            } else {
                libmimalloc_sys::mi_zalloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: std::alloc::Layout) {
        // SAFETY: see the impl.
        unsafe { libmimalloc_sys::mi_free(ptr.cast()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe {
            if layout.align() <= WORD {
                libmimalloc_sys::mi_realloc(ptr.cast(), new_size).cast()
            } else {
                libmimalloc_sys::mi_realloc_aligned(ptr.cast(), new_size, layout.align()).cast()
            }
        }
    }
}

fn main() -> ExitCode {
    let cli = cfgctl::commands::Cli::parse();
    match cfgctl::commands::run(cli) {
        Ok(status) => ExitCode::from(status.code()),
        // `cfgctl … | head` closing the pipe is not an error (ripgrep, ruff do the same).
        Err(err) if cfgctl::error::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            let _ = writeln!(std::io::stderr(), "{}", cfgctl::error::render(&err));
            ExitCode::from(cfgctl::error::ExitStatus::Error.code())
        }
    }
}
