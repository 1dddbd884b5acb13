//! Mounts the playground. Everything else is in the library, so components
//! can be mounted by browser tests too.

fn main() {
    netsec_web::start();
}
