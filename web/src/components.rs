//! One component per file. All read the store through [`crate::app::Ctx`].

mod banner;
mod canvas;
pub mod flows_panel;
mod import_dialog;
mod importing;
mod inspector;
mod nsg_editor;
pub mod packet_layer;
pub mod palette;
mod resource_editors;
mod toolbar;

pub use banner::Banner;
pub use canvas::Canvas;
pub use flows_panel::FlowsPanel;
pub use import_dialog::ImportDialog;
pub use importing::{import_folder, import_text};
pub use inspector::Inspector;
pub use nsg_editor::NsgEditor;
pub use palette::Palette;
pub use toolbar::Toolbar;
