/* Searchable pickers for long lists (countries, projects, organisations, people).
 * Every <select data-picker> (liaison.core.widgets.PickerSelectMultiple, PickerSelect) becomes a
 * tom-select box: typing filters, Enter or a click adds one item, the remove button or Backspace
 * takes one away, and the chosen items stay listed. The select stays in the page and is what the
 * form submits, so without JavaScript (or if tom-select fails to load) the plain select works. */
(function () {
  "use strict";
  function upgrade(select) {
    if (select.tomselect || typeof TomSelect === "undefined") return;
    var texts = select.dataset;
    new TomSelect(select, {
      plugins: select.multiple ? { remove_button: { title: texts.pickerRemove || "Remove" } } : [],
      placeholder: texts.pickerPlaceholder || "",
      hidePlaceholder: false,
      maxOptions: null,
      closeAfterSelect: !select.multiple,
      // A chosen item empties the search, so the next word starts a new search and Backspace
      // takes away the last item rather than a letter.
      onItemAdd: function () {
        this.setTextboxValue("");
        this.refreshOptions(false);
      },
      render: {
        no_results: function (data, escape) {
          return '<div class="no-results">' + escape(texts.pickerEmpty || "") + "</div>";
        },
      },
    });
    // The picker's own combobox now speaks for the select, which keeps only the submitted
    // values; hiding it from assistive technology stops the choices being announced twice.
    select.setAttribute("aria-hidden", "true");
  }
  function upgradeAll(root) {
    (root || document).querySelectorAll("select[data-picker]").forEach(upgrade);
  }
  document.addEventListener("DOMContentLoaded", function () { upgradeAll(document); });
  // Forms swapped in by htmx get their pickers too.
  document.addEventListener("htmx:afterSwap", function (event) { upgradeAll(event.target); });
})();
