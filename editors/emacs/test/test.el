;;; test.el --- Headless test of the Eglot recipe against the real server  -*- lexical-binding: t; -*-

;;   STAGESMITH_SERVER=/path/to/stagesmith emacs --batch -Q -l editors/emacs/test/test.el
;; Needs eglot and dockerfile-mode as packages (Debian: elpa-eglot, elpa-dockerfile-mode). Goes through
;; the recipe as a user has it: `eglot-ensure' from `dockerfile-mode-hook'. One TAP line per check on
;; stdout; exits non-zero if any failed.

;;; Code:

(require 'cl-lib)
(require 'package)
;; -Q leaves out the site-lisp setup that points package.el at Debian's elpa-* packages.
(when (file-directory-p "/usr/share/emacs/site-lisp/elpa")
  (add-to-list 'package-directory-list "/usr/share/emacs/site-lisp/elpa"))
(package-initialize)

(defconst stagesmith-test-timeout
  (/ (string-to-number (or (getenv "STAGESMITH_TEST_TIMEOUT_MS") "15000")) 1000.0))
(defconst stagesmith-test-editors-dir
  (file-name-directory (directory-file-name (file-name-directory
                                             (directory-file-name (file-name-directory load-file-name))))))

(add-to-list 'load-path (expand-file-name "emacs" stagesmith-test-editors-dir))
(require 'stagesmith)
(require 'dockerfile-mode)
(require 'flymake)
(require 'xref)

(defvar stagesmith-test-passed 0)
(defvar stagesmith-test-failed 0)

(defun stagesmith-test-print (format-string &rest args)
  (princ (concat (apply #'format format-string args) "\n")))

(defmacro stagesmith-test-check (name &rest body)
  "Run BODY as the check NAME; a signalled error fails it. Returns non-nil when it passed."
  (declare (indent 1))
  `(condition-case err
       (progn ,@body
              (cl-incf stagesmith-test-passed)
              (stagesmith-test-print "ok - emacs eglot: %s" ,name)
              t)
     (error (cl-incf stagesmith-test-failed)
            (stagesmith-test-print "not ok - emacs eglot: %s: %s" ,name
                                   (replace-regexp-in-string "\n" " " (error-message-string err)))
            nil)))

(defun stagesmith-test-finish ()
  (stagesmith-test-print "# emacs eglot: %d checks passed, %d failed" stagesmith-test-passed stagesmith-test-failed)
  (kill-emacs (if (and (zerop stagesmith-test-failed) (> stagesmith-test-passed 0)) 0 1)))

(defun stagesmith-test-wait-for (what condition)
  "Process events until CONDITION returns non-nil; fail with WHAT after the timeout."
  (let ((deadline (+ (float-time) stagesmith-test-timeout)) result)
    (while (and (not (setq result (funcall condition))) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (or result (error "Timed out after %.0f s waiting for %s" stagesmith-test-timeout what))))

(defun stagesmith-test-diagnostic (code)
  "The flymake diagnostic of the current buffer whose LSP code is CODE."
  (cl-find-if (lambda (diagnostic)
                (equal code (plist-get (alist-get 'eglot-lsp-diag (flymake-diagnostic-data diagnostic)) :code)))
              (flymake-diagnostics)))

(defun stagesmith-test-line (number)
  (save-excursion
    (goto-char (point-min))
    (forward-line (1- number))
    (buffer-substring-no-properties (line-beginning-position) (line-end-position))))

(let ((server (getenv "STAGESMITH_SERVER")))
  (unless (and server (file-executable-p server))
    (stagesmith-test-check "STAGESMITH_SERVER is set"
      (error "Set STAGESMITH_SERVER to the stagesmith binary"))
    (stagesmith-test-finish))
  (setq stagesmith-command (list server "lsp")))

(setq-default eglot-workspace-configuration '(:stagesmith (:rules (:FromAsCasing "error"))))
(add-hook 'dockerfile-mode-hook #'eglot-ensure)

(defvar stagesmith-test-project (file-name-as-directory (make-temp-file "stagesmith-emacs-" t)))
(dolist (name '("Containerfile" ".dockerignore"))
  (copy-file (expand-file-name (concat "test-fixture/" name) stagesmith-test-editors-dir)
             (expand-file-name name stagesmith-test-project)))

(find-file (expand-file-name "Containerfile" stagesmith-test-project))

(unless (stagesmith-test-check "server attaches with the project root"
          ;; `eglot-ensure' connects from `post-command-hook', which batch mode never runs by itself.
          (run-hooks 'post-command-hook)
          (unless (eq major-mode 'dockerfile-mode)
            (error "Containerfile opened in %s" major-mode))
          (stagesmith-test-wait-for "the Eglot session" #'eglot-current-server)
          (let ((root (project-root (project-current))))
            (unless (file-equal-p root stagesmith-test-project)
              (error "Project root %s, expected %s" root stagesmith-test-project))))
  (stagesmith-test-finish))

(stagesmith-test-check "diagnostics arrive, with the configured severity"
  ;; The first diagnostics may predate the server's workspace/configuration round trip: wait for the
  ;; configured severity rather than judging the first publish.
  (condition-case nil
      (stagesmith-test-wait-for "FromAsCasing reported as an error"
                                (lambda ()
                                  (let ((diagnostic (stagesmith-test-diagnostic "FromAsCasing")))
                                    (and diagnostic (eq (flymake-diagnostic-type diagnostic) 'eglot-error)))))
    (error (let ((diagnostic (stagesmith-test-diagnostic "FromAsCasing")))
             (error (if diagnostic
                        (format "FromAsCasing has type %s, the configured error never arrived"
                                (flymake-diagnostic-type diagnostic))
                      "No FromAsCasing diagnostic")))))
  (let ((line (line-number-at-pos (flymake-diagnostic-beg (stagesmith-test-diagnostic "FromAsCasing")))))
    (unless (= 2 line)
      (error "FromAsCasing on line %d" line))))

(stagesmith-test-check "go to definition of a --from stage"
  (goto-char (point-min))
  (forward-line 7)
  (search-forward "--from=bu")
  (let* ((definitions (xref-backend-definitions 'eglot (xref-backend-identifier-at-point 'eglot)))
         (location (and definitions (xref-item-location (car definitions)))))
    (unless location (error "No definition"))
    (unless (= 2 (xref-location-line location))
      (error "Definition on line %s" (xref-location-line location)))
    (unless (file-equal-p (xref-location-group location) buffer-file-name)
      (error "Definition in %s" (xref-location-group location)))))

(stagesmith-test-check "quick fix for FromAsCasing applies"
  (let* ((diagnostic (or (stagesmith-test-diagnostic "FromAsCasing") (error "No FromAsCasing diagnostic to fix")))
         (beg (flymake-diagnostic-beg diagnostic))
         (end (flymake-diagnostic-end diagnostic))
         (fix (cl-find-if (lambda (action)
                            (cl-some (lambda (fixed) (equal (plist-get fixed :code) "FromAsCasing"))
                                     (plist-get action :diagnostics)))
                          (eglot-code-actions beg end "quickfix"))))
    (unless fix (error "No quick fix for FromAsCasing"))
    ;; Pick it the way a user does from Eglot's menu; batch mode has no menu, so answer its prompt.
    (let ((last-nonmenu-event 'keyboard)
          (completing-read-function (lambda (&rest _) (plist-get fix :title))))
      (eglot-code-actions beg end "quickfix" t))
    (unless (equal (stagesmith-test-line 2) "FROM golang:1.22 AS build")
      (error "Line 2 is now %S" (stagesmith-test-line 2)))
    (stagesmith-test-wait-for "FromAsCasing to clear after the fix"
                              (lambda () (null (stagesmith-test-diagnostic "FromAsCasing"))))))

(stagesmith-test-check "completion after COPY --from= offers earlier stages only"
  (goto-char (point-max))
  (insert "COPY --from=")
  (let* ((capf (or (eglot-completion-at-point) (error "No completion at point")))
         (labels (mapcar #'substring-no-properties (all-completions "" (nth 2 capf)))))
    (unless (member "build" labels) (error "No \"build\" in %S" labels))
    (when (member "runtime" labels) (error "The current stage \"runtime\" was offered: %S" labels))))

(stagesmith-test-check "server shuts down cleanly"
  (let ((server (eglot-current-server)))
    (eglot-shutdown server)
    (when (jsonrpc-running-p server) (error "Server still running"))))

(stagesmith-test-finish)
;;; test.el ends here
